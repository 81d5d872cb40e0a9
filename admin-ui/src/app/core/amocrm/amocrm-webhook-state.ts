import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { type Observable, catchError, of, tap, throwError } from 'rxjs';

import { AuthService } from '../auth/auth.service';
import { AmocrmApi } from './amocrm-api';
import { AmocrmConnectionState } from './amocrm-connection-state';
import type { AmocrmWebhook } from './amocrm.models';

interface Entry {
  /** The user (and workspace) it was read for: another sign-in never sees it. */
  key: string;
  webhook: AmocrmWebhook | null;
}

/**
 * Whether amoCRM sends us its webhooks: `true` when they are missing (never subscribed, amoCRM does not have our
 * address, or events we subscribed are not there any more), `false` when all is in place, `null` when not known.
 */
export function webhooksMissing(webhook: AmocrmWebhook | null): boolean | null {
  if (webhook === null) {
    return null;
  }
  if (webhook.registered === false) {
    return true;
  }
  if (webhook.registered === null) {
    return webhook.events === null ? true : null;
  }
  return (webhook.drift?.missing.length ?? 0) > 0;
}

/**
 * The amoCRM webhook subscription as last read (`GET /connections/amocrm/webhook`, admins only), shared by the
 * webhook card (which puts every answer here), the status card of the amoCRM page and the dashboard card: the
 * connection shows as degraded while it works but amoCRM does not send its webhooks.
 */
@Injectable({ providedIn: 'root' })
export class AmocrmWebhookState {
  private readonly api = inject(AmocrmApi);
  private readonly auth = inject(AuthService);
  private readonly connection = inject(AmocrmConnectionState);
  private readonly entry = signal<Entry | null>(null);

  private readonly userKey = computed(() => {
    const user = this.auth.user();
    return user ? `${user.id}:${user.workspaceId}:${user.role}` : null;
  });

  /** The last known subscription, `null` before the first answer (or for roles that may not read it). */
  readonly webhook = computed(() => {
    const entry = this.entry();
    return entry?.key === this.userKey() ? entry.webhook : null;
  });
  /** The connection works but amoCRM does not send the webhooks: changes made in amoCRM do not arrive. */
  readonly degraded = computed(
    () => this.connection.status() === 'connected' && webhooksMissing(this.webhook()) === true,
  );

  /** Reads the subscription; a 403 (not an admin) is answered with `null` and remembered as not known. */
  load(): Observable<AmocrmWebhook | null> {
    return this.api.webhook().pipe(
      tap((webhook) => this.set(webhook)),
      catchError((error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 403) {
          this.store(null);
          return of(null);
        }
        return throwError(() => error);
      }),
    );
  }

  set(webhook: AmocrmWebhook): void {
    this.store(webhook);
  }

  private store(webhook: AmocrmWebhook | null): void {
    const key = this.userKey();
    if (key !== null) {
      this.entry.set({ key, webhook });
    }
  }
}

/**
 * Whether amoCRM cannot reach this address: a loopback, private, link-local or `.local` host (PUBLIC_URL is set
 * to an address only this network knows). `false` for a URL that cannot be read.
 */
export function unreachableFromInternet(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return true;
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.includes(':')) {
    return (
      host === '::1' || host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host)
    );
  }
  return false;
}
