import { generatePassword, passwordPolicyErrors } from './password-policy';

describe('password policy', () => {
  it('matches the backend rules', () => {
    expect(passwordPolicyErrors('short')).toEqual({ passwordTooShort: true });
    expect(passwordPolicyErrors('x'.repeat(129))).toEqual({ passwordTooLong: true });
    expect(passwordPolicyErrors('abcabcabcabc')).toEqual({ passwordTooSimple: true });
    expect(passwordPolicyErrors('my-anna.smith-pass', 'anna.smith@example.com')).toEqual({
      passwordContainsEmail: true,
    });
    // A short e-mail name (under 4 characters) is not checked, as on the server.
    expect(passwordPolicyErrors('bob-is-my-name-1', 'bob@example.com')).toBeNull();
    expect(passwordPolicyErrors('Quiet-river-42', 'anna@example.com')).toBeNull();
  });

  it('generates passwords that pass the policy, each different', () => {
    const passwords = Array.from({ length: 50 }, () => generatePassword());
    for (const password of passwords) {
      expect(password).toHaveLength(20);
      expect(passwordPolicyErrors(password, 'anna@example.com')).toBeNull();
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[2-9]/);
    }
    expect(new Set(passwords).size).toBe(50);
  });
});
