import { RateLimiterMemory } from 'rate-limiter-flexible';
import { deleteLoginLock, findLoginLock, saveLoginLock } from '../read-model/login-locks.repository';
import { HttpError } from './http-errors';
import { auditLoginLock } from './login-audit';

/**
 * How many failed logins an account and a client address may have, as data. Only failures
 * count: thirty officers logging in through one office gateway at 8:30 must not lock each
 * other out, while one address guessing at many accounts, or many addresses guessing at one
 * account, is slowed and then stopped.
 */
export interface LoginPolicy {
  /** Failures per account within `accountWindowSeconds` that lock it for `lockSeconds`. */
  accountFailuresBeforeLock: number;
  accountWindowSeconds: number;
  lockSeconds: number;
  /** Failures per account tolerated before each further attempt must wait (backoff). */
  failuresBeforeBackoff: number;
  /** The first wait; it doubles with every further failure, up to `backoffMaxSeconds`. 0: no backoff. */
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  /** Failures per client address within `addressWindowSeconds` that block it for `addressBlockSeconds`. */
  addressFailuresBeforeBlock: number;
  addressWindowSeconds: number;
  addressBlockSeconds: number;
}

export const defaultLoginPolicy: LoginPolicy = Object.freeze({
  accountFailuresBeforeLock: 10,
  accountWindowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
  failuresBeforeBackoff: 3,
  backoffBaseSeconds: 1,
  backoffMaxSeconds: 30,
  // An office gateway carries many honest typos; spraying one password over many accounts
  // from one address still stops after this many misses.
  addressFailuresBeforeBlock: 50,
  addressWindowSeconds: 15 * 60,
  addressBlockSeconds: 15 * 60,
});

/** The wait before the next attempt after `failures` consecutive failures of one account, in seconds. */
export function backoffSeconds(policy: LoginPolicy, failures: number): number {
  const beyond = failures - policy.failuresBeforeBackoff;
  if (beyond <= 0 || policy.backoffBaseSeconds <= 0) return 0;
  return Math.min(policy.backoffBaseSeconds * 2 ** (beyond - 1), policy.backoffMaxSeconds);
}

/** A login refused before the password was checked; tells the client when to try again. */
export class LoginThrottled extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

export interface LoginAttempt {
  username: string;
  address: string | undefined;
}

export interface LoginGuard {
  readonly policy: LoginPolicy;
  /**
   * Runs one login attempt under the limits: refuses it (LoginThrottled) when the address or
   * account must wait or is locked, otherwise runs `check` and counts a 401 it throws as a
   * failure. Both login routes, the JSON API and the page, go through the same guard.
   */
  attempt<T>(attempt: LoginAttempt, check: () => Promise<T>): Promise<T>;
  /** An administrator lifts a lock: the persisted lock and this process's counters go. */
  unlock(username: string): Promise<boolean>;
}

/**
 * Counting lives in memory, per API process (rate-limiter-flexible's memory store); only the
 * lock is persisted, in `login_locks`. FerretDB has no atomic $inc, so failure counters in the
 * database would lose increments under exactly the parallel guessing they are meant to stop,
 * while the memory store counts exactly within a process. With N API processes an attacker
 * gets at most N times the attempts before the lock; the lock itself is a plain overwrite
 * (who set it last does not matter), needs no atomicity, is honoured by every process and
 * survives a restart.
 */
export function createLoginGuard(policy: LoginPolicy = defaultLoginPolicy): LoginGuard {
  const byAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: policy.accountFailuresBeforeLock, duration: policy.accountWindowSeconds });
  const byAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: policy.addressFailuresBeforeBlock, duration: policy.addressWindowSeconds });
  // A key blocked here must wait; points 1 so that `block` marks it and `get` shows it.
  const backoff = new RateLimiterMemory({ keyPrefix: 'login-backoff', points: 1, duration: 1 });

  async function admit(account: string, address: string): Promise<void> {
    // Count the attempt before anything is awaited, so parallel attempts cannot all slip in
    // under the limit; a success gives its point back.
    const onAddress = await byAddress.penalty(address);
    if (onAddress.consumedPoints > policy.addressFailuresBeforeBlock) {
      await byAddress.reward(address);
      throw new LoginThrottled(`该网络地址登录失败次数过多，请 ${minutes(onAddress.msBeforeNext)} 分钟后再试`, seconds(onAddress.msBeforeNext));
    }
    const onAccount = await byAccount.penalty(account);
    const release = async () => {
      await byAddress.reward(address);
      await byAccount.reward(account);
    };
    if (onAccount.consumedPoints > policy.accountFailuresBeforeLock) {
      await release();
      throw lockedRefusal(onAccount.msBeforeNext);
    }
    const waiting = await backoff.get(account);
    if (waiting && waiting.consumedPoints > 1 && waiting.msBeforeNext > 0) {
      await release();
      throw new LoginThrottled(`登录失败次数较多，请 ${seconds(waiting.msBeforeNext)} 秒后再试`, seconds(waiting.msBeforeNext));
    }
    const lock = await findLoginLock(account);
    if (lock && lock.lockedUntil.getTime() > Date.now()) {
      await release();
      throw lockedRefusal(lock.lockedUntil.getTime() - Date.now());
    }
  }

  async function recordFailure(account: string, address: string): Promise<void> {
    const onAddress = await byAddress.get(address);
    if (onAddress && onAddress.consumedPoints >= policy.addressFailuresBeforeBlock) await byAddress.block(address, policy.addressBlockSeconds);
    const failures = (await byAccount.get(account))?.consumedPoints ?? 0;
    if (failures >= policy.accountFailuresBeforeLock) {
      await lockAccount(account, address, failures);
      // Refused in this process for the rest of the lock without a database read.
      await byAccount.set(account, policy.accountFailuresBeforeLock + 1, policy.lockSeconds);
      return;
    }
    const wait = backoffSeconds(policy, failures);
    if (wait > 0) await backoff.block(account, wait);
  }

  async function lockAccount(account: string, address: string, failures: number): Promise<void> {
    const lockedAt = new Date();
    const lockedUntil = new Date(lockedAt.getTime() + policy.lockSeconds * 1000);
    await saveLoginLock(account, { lockedAt, lockedUntil, failures, lastAddress: address });
    await auditLoginLock(account, address, failures, lockedUntil);
  }

  return {
    policy,
    async attempt(attempt, check) {
      const account = accountKey(attempt.username);
      const address = attempt.address ?? 'unknown';
      await admit(account, address);
      let result: Awaited<ReturnType<typeof check>>;
      try {
        result = await check();
      } catch (error) {
        if (error instanceof HttpError && error.status === 401) await recordFailure(account, address);
        else {
          await byAddress.reward(address);
          await byAccount.reward(account);
        }
        throw error;
      }
      await byAccount.delete(account);
      await backoff.delete(account);
      await byAddress.reward(address);
      return result;
    },
    async unlock(username) {
      const account = accountKey(username);
      await byAccount.delete(account);
      await backoff.delete(account);
      return deleteLoginLock(account);
    },
  };
}

/**
 * Counted by the name as typed, case-folded, so `Officer` and `officer` share one count;
 * control characters are dropped because the key is also the lock's `_id` in the database.
 */
export function accountKey(username: string): string {
  return withoutControlCharacters(username).trim().toLowerCase().slice(0, 128);
}

/** Drops C0 controls and DEL (NUL in particular, which FerretDB refuses in strings). */
export function withoutControlCharacters(value: string): string {
  let kept = '';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0x20 && code !== 0x7f) kept += character;
  }
  return kept;
}

function lockedRefusal(msLeft: number): LoginThrottled {
  return new LoginThrottled(`该账户因多次登录失败已临时锁定，请 ${minutes(msLeft)} 分钟后再试，或联系管理员解锁`, seconds(msLeft));
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function minutes(ms: number): number {
  return Math.max(1, Math.ceil(ms / 60_000));
}

let processGuard: LoginGuard | undefined;

/** The guard both login routes share when none is injected: one per API process. */
export function processLoginGuard(): LoginGuard {
  processGuard ??= createLoginGuard();
  return processGuard;
}
