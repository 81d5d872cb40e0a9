import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

const SEND_TIMEOUT_MS = 10_000;

/**
 * Why a message was not delivered, in words safe to show and store (never the token). `retryable` when trying
 * later may help (no answer, 429, 5xx); a refused token or chat stays refused.
 */
export class TelegramError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Sends messages through the Telegram Bot API at TELEGRAM_API_BASE_URL. The token is part of the URL, so no URL
 * and no fetch error text is ever logged or returned: only Telegram's own description or a fixed phrase.
 */
@Injectable()
export class TelegramService {
  constructor(private readonly config: AppConfig) {}

  async send(token: string, chatId: string, text: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(
        `${this.config.telegramApiBaseUrl}/bot${encodeURIComponent(token)}/sendMessage`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            chat_id: chatId,
            text: text.slice(0, 4000),
            disable_web_page_preview: true,
          }),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        },
      );
    } catch {
      throw new TelegramError('Telegram did not answer', true);
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // a body that is not JSON: described by the status below
    }
    const ok = typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true;
    if (response.ok && ok) return;
    if (response.status === 401 || response.status === 404)
      throw new TelegramError('Telegram refused the bot token', false);
    const description =
      typeof body === 'object' && body !== null ? (body as { description?: unknown }).description : null;
    throw new TelegramError(
      `Telegram answered ${response.status}${typeof description === 'string' ? `: ${description.slice(0, 200).replaceAll(token, '***')}` : ''}`,
      response.status === 429 || response.status >= 500,
    );
  }
}
