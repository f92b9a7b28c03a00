import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';

const VENDOR_ROTATION_REASON =
  'Holds API keys issued by Anthropic, AssemblyAI and Deepgram: the operator replaces them in their consoles and puts the new value (README, "Vendor API keys"); Secrets Manager has no rotation function for third-party keys.';

const ROTATION_REASON =
  'Rotated by `smartad rotate-keys`, which adds a key and re-encrypts stored data; Secrets Manager rotation would replace the material and strand every ciphertext made with it.';

/**
 * The application secrets, generated at deploy time in the bootstrap form the app's parsers accept:
 * the field-encryption keyring `{"id":"k1","material":"…"}` and the JWT signing key `{"kid":"s1","secret":"…"}`.
 * Both are encrypted with their own customer-managed key and retained with the data they protect.
 *
 * Beside them, the vendor keys document (`VENDOR_KEYS_SECRET_ID`): it starts as
 * `{"transcription_webhook_secret":"<64 generated characters>"}` and the operator adds `anthropic_api_key`,
 * `assemblyai_api_key` and/or `deepgram_api_key` (README). No key is ever in the template.
 */
export class AppSecrets extends Construct {
  readonly keyring: Secret;
  readonly signingKey: Secret;
  readonly vendorKeys: Secret;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new CustomerManagedKey(this, 'Key', { description: 'Smart Advisor OS: application secrets' });
    this.keyring = new Secret(this, 'Keyring', {
      description: 'Smart Advisor OS field-encryption keyring (AES-256-GCM key material)',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ id: 'k1' }),
        generateStringKey: 'material',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    this.signingKey = new Secret(this, 'SigningKey', {
      description: 'Smart Advisor OS access-token (JWT) signing key',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ kid: 's1' }),
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    this.vendorKeys = new Secret(this, 'VendorKeys', {
      description:
        'Smart Advisor OS vendor API keys (Anthropic, AssemblyAI, Deepgram) and the transcription webhook secret',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Only the webhook secret is ours to generate; CloudFormation does not regenerate it on later deploys.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'transcription_webhook_secret',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    for (const secret of [this.keyring, this.signingKey]) {
      Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: ROTATION_REASON });
    }
    Validations.of(this.vendorKeys).acknowledge({ id: 'AwsSolutions-SMG4', reason: VENDOR_ROTATION_REASON });
  }
}
