import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';

const ROTATION_REASON =
  'Rotated by `smartad rotate-keys`, which adds a key and re-encrypts stored data; Secrets Manager rotation would replace the material and strand every ciphertext made with it.';

/**
 * The two application secrets, generated at deploy time in the bootstrap form the app's parsers accept:
 * the field-encryption keyring `{"id":"k1","material":"…"}` and the JWT signing key `{"kid":"s1","secret":"…"}`.
 * Both are encrypted with their own customer-managed key and retained with the data they protect.
 */
export class AppSecrets extends Construct {
  readonly keyring: Secret;
  readonly signingKey: Secret;
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
    for (const secret of [this.keyring, this.signingKey]) {
      Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: ROTATION_REASON });
    }
  }
}
