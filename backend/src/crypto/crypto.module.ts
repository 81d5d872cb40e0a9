import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';

/** Encryption of secrets at rest with ENCRYPTION_KEY: inject `SecretBox`. */
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SecretBox(config.encryptionKey),
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
