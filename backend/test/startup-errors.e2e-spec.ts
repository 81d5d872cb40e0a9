import { runServiceToExit } from './support/spawn-service';
import { testEnv } from './support/test-app';
import { dropTestDatabase } from './support/test-database';

describe('start-up errors name the cause', () => {
  it('a first admin password containing the e-mail name stops the start with the variable and the reason', async () => {
    const password = 'Anna.Petrova-2026!';
    const { env, db } = await testEnv({
      env: { ADMIN_EMAIL: 'anna.petrova@example.com', ADMIN_PASSWORD: password },
    });
    try {
      const { code, output } = await runServiceToExit(env, 90_000);
      expect(code).toBe(1);
      const failure = output.split('\n').find((line) => line.startsWith('Start-up failed:'));
      expect(failure).toBe(
        'Start-up failed: Invalid configuration: ADMIN_PASSWORD is not accepted for the first admin ' +
          '(ADMIN_EMAIL): The password must not contain the e-mail name.',
      );
      expect(output).not.toContain(password);
    } finally {
      await dropTestDatabase(db);
    }
  });
});
