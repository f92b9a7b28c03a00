import { Agent, request } from 'node:http';
import { median } from './bundle-sizes';

export interface LoadFigures {
  url: string;
  requests: number;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  throughputRps: number;
  non2xx: number;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

function once(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent, method: 'GET', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `total` GETs of `url` over `concurrency` keep-alive connections; latency per request, throughput overall. */
export async function loadTest(
  url: string,
  total: number,
  concurrency: number,
  headers: Record<string, string> = {},
): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latencies: number[] = [];
  let non2xx = 0;
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued += 1;
      const { ms, status } = await once(agent, target, headers);
      latencies.push(ms);
      if (status < 200 || status >= 300) non2xx += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    url,
    requests: latencies.length,
    concurrency,
    p50Ms: median(latencies),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    throughputRps: latencies.length / elapsedS,
    non2xx,
  };
}
