/**
 * banyan.yaml `jms.amqp`: the AMQP 1.0 listener for unmodified JMS applications (Qpid JMS).
 * Absent: no listener. `banyan start` opens it on host:port; clients log in with SASL PLAIN as one
 * of `users` (passwords are secrets: redacted in logs, best given as ${ENV}), or with ANONYMOUS
 * only when `anonymous: true`. With `tls`, the listener speaks AMQP over TLS (amqps).
 *
 *   jms:
 *     amqp:
 *       host: 0.0.0.0
 *       port: 5672
 *       users: [{ username: app, password: "${JMS_APP_PASSWORD}" }]
 *       tls: { cert_file: certs/banyan.pem, key_file: certs/banyan.key }
 */
import { z } from 'zod';
import { boolean, nonEmpty, portOrZero } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';

const user = z.strictObject({
  username: nonEmpty,
  password: secret(nonEmpty),
});

const tls = z.strictObject({
  /** PEM certificate chain the listener presents. */
  cert_file: nonEmpty,
  /** PEM private key of cert_file. */
  key_file: nonEmpty,
  /** PEM CA bundle to verify client certificates against (with require_client_cert). */
  ca_file: nonEmpty.optional(),
  /** Refuse clients without a certificate signed by ca_file. */
  require_client_cert: boolean.default(false),
});

export const jmsAmqpSettingsSchema = z
  .strictObject({
    host: nonEmpty.default('127.0.0.1'),
    /** 5672 is AMQP's port (5671 with TLS); 0 picks a free one (tests). */
    port: portOrZero.default(5672),
    users: z.array(user).default([]),
    /** Allow SASL ANONYMOUS (no credentials). Off unless said: anyone reaching the port could read every queue. */
    anonymous: boolean.default(false),
    tls: tls.optional(),
    /** The container-id the listener's open frame carries. */
    container_id: nonEmpty.default('banyan'),
  })
  .superRefine((settings, ctx) => {
    if (!settings.anonymous && settings.users.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['users'], message: 'no client could log in: list users, or set anonymous: true' });
    }
    const seen = new Set<string>();
    settings.users.forEach((u, i) => {
      if (seen.has(u.username)) ctx.addIssue({ code: 'custom', path: ['users', i, 'username'], message: `user ${u.username} is listed twice` });
      seen.add(u.username);
    });
    if (settings.tls?.require_client_cert && !settings.tls.ca_file) {
      ctx.addIssue({ code: 'custom', path: ['tls', 'ca_file'], message: 'require_client_cert needs a ca_file to verify client certificates against' });
    }
  });

/** banyan.yaml `jms`: the JMS facade's gateway settings (the engine's mapping lives in mappings/). */
export const jmsGatewaySettingsSchema = z.strictObject({
  amqp: jmsAmqpSettingsSchema.optional(),
});

export type JmsAmqpSettings = z.output<typeof jmsAmqpSettingsSchema>;
