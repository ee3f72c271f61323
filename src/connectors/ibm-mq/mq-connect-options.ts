/**
 * The MQCNO a session connects with (IBM MQ docs, "MQCNO - Connect options"): always a client
 * connection (MQCNO_CLIENT_BINDING), either through a CCDT (CCDTUrl, the table names channel,
 * host and TLS) or an MQCD built from the config (ChannelName, ConnectionName, SSLCipherSpec,
 * SSLPeerName, CertificateLabel) with an MQSCO for the key repository; MQCSP for user/password.
 *
 * MQCSP AuthenticationType: ibmmq 2.1.9 does not expose it and sets MQCSP_AUTH_USER_ID_AND_PWD
 * itself whenever UserId or Password is set (src/mqcsp.cc), so setting UserId/Password is how
 * MQCSP_AUTH_USER_ID_AND_PWD is asked for.
 */
import type { MqiApi, MqiCno } from './mqi-api.ts';
import type { IbmMqConnectionConfig } from './spec.ts';

export type IbmMqConnectOptionsConfig = Pick<
  IbmMqConnectionConfig,
  'channel' | 'connection' | 'ccdt_url' | 'user' | 'password' | 'cipher_spec' | 'tls' | 'reconnect' | 'app_name'
>;

export function connectOptions(mq: MqiApi, config: IbmMqConnectOptionsConfig): MqiCno {
  const C = mq.MQC;
  const cno = new mq.MQCNO();
  cno.Options = C.MQCNO_CLIENT_BINDING | reconnectOption(mq, config.reconnect);
  cno.ApplName = config.app_name ?? 'banyan';
  const cipherSpec = config.tls?.cipher_spec ?? config.cipher_spec;
  if (config.ccdt_url !== undefined) {
    cno.CCDTUrl = config.ccdt_url;
  } else {
    const cd = new mq.MQCD();
    cd.ChannelName = config.channel ?? null;
    cd.ConnectionName = config.connection ?? null;
    if (cipherSpec !== undefined) cd.SSLCipherSpec = cipherSpec;
    if (config.tls?.peer_name !== undefined) cd.SSLPeerName = config.tls.peer_name;
    if (config.tls?.certificate_label !== undefined) cd.CertificateLabel = config.tls.certificate_label;
    cno.ClientConn = cd;
  }
  if (config.tls?.key_repository !== undefined) {
    const sco = new mq.MQSCO();
    sco.KeyRepository = config.tls.key_repository;
    if (config.tls.certificate_label !== undefined) sco.CertificateLabel = config.tls.certificate_label;
    cno.SSLConfig = sco;
  }
  if (config.user !== undefined || config.password !== undefined) {
    const csp = new mq.MQCSP();
    csp.UserId = config.user ?? null;
    csp.Password = config.password ?? null;
    cno.SecurityParms = csp;
  }
  return cno;
}

function reconnectOption(mq: MqiApi, reconnect: IbmMqConnectOptionsConfig['reconnect']): number {
  const C = mq.MQC;
  switch (reconnect) {
    case 'queue_manager':
      return C.MQCNO_RECONNECT_Q_MGR;
    case 'any':
      return C.MQCNO_RECONNECT;
    case 'as_defined':
      return C.MQCNO_RECONNECT_AS_DEF;
    default:
      return C.MQCNO_RECONNECT_DISABLED;
  }
}
