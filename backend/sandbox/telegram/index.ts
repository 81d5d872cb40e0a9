import http from 'node:http';
import { closeServer, listenLocally } from '../server-lifecycle';

/**
 * A tiny local fake of the Telegram Bot API for tests: `POST /bot<token>/sendMessage` and `getMe` for the bots
 * it knows (`addBot`), answering as Telegram does (`{ok, result}` / `{ok: false, error_code, description}`),
 * and records every message sent, so a test can count what a chat received; `failNext` makes it answer 5xx. Nothing reaches the internet.
 */
export interface TelegramMessage {
  token: string;
  chatId: string;
  text: string;
  parseMode: string | null;
  at: Date;
}

export interface TelegramSandbox {
  url: string;
  /** Registers a bot; answers its token. */
  addBot(username?: string): string;
  /** Messages sent to `chatId` (all chats when omitted), oldest first. */
  messages(chatId?: string): TelegramMessage[];
  /** Chats refused with 400 "chat not found". */
  refuseChat(chatId: string): void;
  /** The next `count` sendMessage calls answer `status` (default 502, as when Telegram is down); none is recorded. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

export async function startTelegramSandbox(port = 0, host = '127.0.0.1'): Promise<TelegramSandbox> {
  const bots = new Map<string, { id: number; username: string }>();
  const refused = new Set<string>();
  const sent: TelegramMessage[] = [];
  const failures: number[] = [];
  let nextBot = 7_000_000_001;

  const answer = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: http.ServerResponse, status: number, description: string): void =>
    answer(res, status, { ok: false, error_code: status, description });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec((req.url ?? '').split('?')[0]);
      if (!match) return fail(res, 404, 'Not Found');
      const [, token, method] = match;
      const bot = bots.get(decodeURIComponent(token));
      if (!bot) return fail(res, 401, 'Unauthorized');
      if (size > MAX_BODY) return fail(res, 400, 'Bad Request: request too large');
      if (method === 'getMe')
        return answer(res, 200, { ok: true, result: { id: bot.id, is_bot: true, username: bot.username } });
      if (method !== 'sendMessage' || req.method !== 'POST') return fail(res, 404, 'Not Found');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return fail(res, 400, 'Bad Request: can not parse JSON');
      }
      const chatId = body.chat_id;
      const text = body.text;
      if ((typeof chatId !== 'string' && typeof chatId !== 'number') || typeof text !== 'string' || !text)
        return fail(res, 400, 'Bad Request: chat_id and text are required');
      if (refused.has(String(chatId))) return fail(res, 400, 'Bad Request: chat not found');
      const failure = failures.shift();
      if (failure !== undefined) return fail(res, failure, 'Internal Server Error');
      sent.push({
        token: decodeURIComponent(token),
        chatId: String(chatId),
        text,
        parseMode: typeof body.parse_mode === 'string' ? body.parse_mode : null,
        at: new Date(),
      });
      answer(res, 200, {
        ok: true,
        result: { message_id: sent.length, chat: { id: chatId }, date: Math.floor(Date.now() / 1000), text },
      });
    });
  });
  const url = await listenLocally(server, port, host);
  return {
    url,
    addBot(username = `alerts_${nextBot}_bot`) {
      const id = nextBot++;
      const token = `${id}:AAE${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
      bots.set(token, { id, username });
      return token;
    },
    messages: (chatId) => sent.filter((message) => chatId === undefined || message.chatId === chatId),
    refuseChat: (chatId) => void refused.add(chatId),
    failNext: (count, status = 502) => void failures.push(...Array.from({ length: count }, () => status)),
    close: () => closeServer(server),
  };
}
