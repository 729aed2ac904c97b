import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// scrypt with a modest cost: enough to show the right shape, cheap enough for a demo and its tests.
const COST = { N: 1024, r: 8, p: 1 };

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32, COST).toString('hex')}`;
}

export function passwordMatches(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':') as [string, string];
  const expected = Buffer.from(hash, 'hex');
  return timingSafeEqual(scryptSync(password, Buffer.from(salt, 'hex'), expected.length, COST), expected);
}
