/**
 * Ticket-system credentials come only from environment variables — never from the config file, never logged, never
 * stored in the state file. A missing variable is a configuration error naming the variable.
 */
import { ConfigError } from '../core/config/load.ts';
import type { TicketsConfig } from '../core/config/tickets.ts';
import { scrubAndClip } from '../core/secrets.ts';

export type SinkCredentials =
  | { kind: 'jira-basic'; email: string; apiToken: string }
  | { kind: 'jira-bearer'; token: string }
  | { kind: 'github'; token: string }
  | { kind: 'servicenow-basic'; user: string; password: string }
  | { kind: 'servicenow-bearer'; token: string }
  | { kind: 'webhook'; secret: string };

/** The variables each sink reads, for documentation and error messages. */
export const credentialVariables = {
  jiraCloud: ['SNAPAUDIT_JIRA_EMAIL', 'SNAPAUDIT_JIRA_API_TOKEN'],
  jiraDataCenter: ['SNAPAUDIT_JIRA_TOKEN'],
  github: ['SNAPAUDIT_GITHUB_TOKEN', 'GITHUB_TOKEN'],
  servicenow: ['SNAPAUDIT_SERVICENOW_USER', 'SNAPAUDIT_SERVICENOW_PASSWORD', 'SNAPAUDIT_SERVICENOW_TOKEN'],
  webhook: ['SNAPAUDIT_WEBHOOK_SECRET'],
} as const;

type Env = Record<string, string | undefined>;

function need(env: Env, name: string, what: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === '') {
    throw new ConfigError([`tickets: the environment variable ${name} is not set. Fix: export ${name} with ${what}.`]);
  }
  return v.trim();
}

export function resolveCredentials(tickets: TicketsConfig, env: Env): SinkCredentials {
  switch (tickets.sink) {
    case 'jira':
      if (tickets.jira?.deployment === 'datacenter') {
        return { kind: 'jira-bearer', token: need(env, 'SNAPAUDIT_JIRA_TOKEN', 'a Jira Data Center personal access token') };
      }
      {
        const email = need(env, 'SNAPAUDIT_JIRA_EMAIL', 'the e-mail of the Atlassian account that owns the API token');
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
          throw new ConfigError([
            'tickets: SNAPAUDIT_JIRA_EMAIL is not an e-mail address. Fix: set it to the Atlassian account e-mail, e.g. bot@example.com.',
          ]);
        }
        return {
          kind: 'jira-basic',
          email,
          apiToken: need(env, 'SNAPAUDIT_JIRA_API_TOKEN', 'an Atlassian API token (id.atlassian.com → Security → API tokens)'),
        };
      }
    case 'github': {
      const token = env.SNAPAUDIT_GITHUB_TOKEN?.trim() || env.GITHUB_TOKEN?.trim();
      if (!token) {
        throw new ConfigError([
          'tickets: neither SNAPAUDIT_GITHUB_TOKEN nor GITHUB_TOKEN is set. Fix: export SNAPAUDIT_GITHUB_TOKEN with a token allowed to write issues in the repository.',
        ]);
      }
      return { kind: 'github', token };
    }
    case 'servicenow': {
      const token = env.SNAPAUDIT_SERVICENOW_TOKEN?.trim();
      if (token) return { kind: 'servicenow-bearer', token };
      if (!env.SNAPAUDIT_SERVICENOW_USER?.trim()) {
        throw new ConfigError([
          'tickets: set SNAPAUDIT_SERVICENOW_TOKEN (OAuth access token), or SNAPAUDIT_SERVICENOW_USER and SNAPAUDIT_SERVICENOW_PASSWORD. Fix: export them for an account with write access to the table.',
        ]);
      }
      return {
        kind: 'servicenow-basic',
        user: need(env, 'SNAPAUDIT_SERVICENOW_USER', 'the integration user'),
        password: need(env, 'SNAPAUDIT_SERVICENOW_PASSWORD', "the integration user's password"),
      };
    }
    case 'webhook':
      return { kind: 'webhook', secret: need(env, 'SNAPAUDIT_WEBHOOK_SECRET', 'the shared secret the receiver verifies signatures with') };
  }
}

/** Every secret value in the credentials, so messages can be scrubbed before they are printed. */
export function secretsOf(c: SinkCredentials): string[] {
  switch (c.kind) {
    case 'jira-basic':
      return [c.apiToken, Buffer.from(`${c.email}:${c.apiToken}`).toString('base64')];
    case 'servicenow-basic':
      return [c.password, Buffer.from(`${c.user}:${c.password}`).toString('base64')];
    case 'webhook':
      return [c.secret];
    default:
      return [c.token];
  }
}

/** How long a ticket error message may be once it is safe (printed, logged, kept in the sync report). */
export const ERROR_MESSAGE_MAX = 300;

/**
 * A ticket system's error text made safe to print and keep: the sink's own credentials (exact values) and every
 * credential shape (the shared scrubber) are removed first, and only then is the text cut to `max` characters — a
 * cut through a token before redaction would leave a prefix that no longer matches it.
 */
export function redact(text: string, secrets: readonly string[], max = ERROR_MESSAGE_MAX): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return scrubAndClip(out, max);
}
