/**
 * What may be uploaded as a meeting: recordings go to transcription, transcript files skip it. The content type
 * is signed into the upload URL, so S3 refuses a PUT with any other.
 */
export const UPLOAD_FORMATS = {
  mp3: { contentType: 'audio/mpeg', kind: 'audio' },
  m4a: { contentType: 'audio/mp4', kind: 'audio' },
  mp4: { contentType: 'video/mp4', kind: 'audio' },
  wav: { contentType: 'audio/wav', kind: 'audio' },
  ogg: { contentType: 'audio/ogg', kind: 'audio' },
  flac: { contentType: 'audio/flac', kind: 'audio' },
  aac: { contentType: 'audio/aac', kind: 'audio' },
  webm: { contentType: 'audio/webm', kind: 'audio' },
  vtt: { contentType: 'text/vtt', kind: 'transcript' },
  srt: { contentType: 'application/x-subrip', kind: 'transcript' },
  txt: { contentType: 'text/plain', kind: 'transcript' },
  json: { contentType: 'application/json', kind: 'transcript' },
} as const;

export type UploadExtension = keyof typeof UPLOAD_FORMATS;
export type SourceKind = (typeof UPLOAD_FORMATS)[UploadExtension]['kind'];

export const UPLOAD_EXTENSIONS = Object.keys(UPLOAD_FORMATS) as [UploadExtension, ...UploadExtension[]];

/** The extension of a file name, lower-cased, if it is one we accept. */
export function uploadExtensionOf(fileName: string): UploadExtension | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext !== undefined && ext in UPLOAD_FORMATS ? (ext as UploadExtension) : undefined;
}
