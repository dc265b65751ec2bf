import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { LOCAL_CREDENTIALS } from './dynamodb.ts';
import { freePort, LOOPBACK, type LocalLog, silentLog } from './net.ts';
import { createS3Guard, type GuardedStore } from './s3-guard.ts';

/**
 * The S3 stand-in of the embedded platform: s3rver (data on disk), bound to 127.0.0.1.
 *
 * What it is not (docs/architecture.md §11): no versioning (events carry no versionId), no Object Lock, no
 * lifecycle. s3rver itself verifies no SigV4 signature, no checksum and no condition, and lets a key
 * be overwritten: every request therefore passes the guard first (infra/local/s3-guard.ts), which
 * refuses what the product's bucket refuses in AWS — unsigned or wrongly signed requests, expired
 * presigned URLs, bodies that do not match their checksums, a second write of an original — with
 * S3's errors. The product enforces holds and retention in its own use cases.
 * Clients must use path-style addressing (`forcePathStyle: true`) against `endpoint`, signed with
 * LOCAL_CREDENTIALS.
 *
 * S3 → Lambda: s3rver emits an `event` for Put, Post (also CompleteMultipartUpload) and Copy. We
 * turn each ObjectCreated into the shape S3 really delivers (key URL-encoded, size, eTag, the
 * partition's bucket ARN, no versionId) and hand it to the `onObjectCreated` hook, invoked
 * asynchronously and retried twice like an asynchronous Lambda invocation.
 */

export interface BucketSpec {
  name: string;
  /** browser origins allowed to PUT/GET with presigned URLs (the console) */
  corsOrigins?: readonly string[] | undefined;
}

export interface S3LocalOptions {
  directory: string;
  port?: number | undefined;
  region?: string | undefined;
  buckets?: readonly BucketSpec[] | undefined;
  /** called for every ObjectCreated:* with a real-shaped S3 event; errors are logged and retried */
  onObjectCreated?: ((event: S3Event) => Promise<unknown>) | undefined;
  log?: LocalLog | undefined;
  /** the S3 guard in front of s3rver (default on: the local platform refuses what AWS would refuse) */
  guard?: boolean | undefined;
}

export interface S3Local {
  endpoint: string;
  port: number;
  directory: string;
  /** path-style client with the credentials s3rver accepts */
  client: S3Client;
  /** resolves when every ObjectCreated hook started so far has finished (tests, shutdown) */
  drainEvents(): Promise<void>;
  stop(): Promise<void>;
}

/** Minimal surface of the s3rver class (the package ships no types). */
interface S3rverInstance {
  on(event: 'event', listener: (e: RawS3rverEvent) => void): void;
  on(event: 'error', listener: (e: unknown) => void): void;
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
  /** s3rver is a Koa application: its request listener, and the buckets it creates on start */
  callback(): RequestListener;
  configureBuckets(): Promise<unknown>;
  store: GuardedStore;
  logger?: { close?: () => void; exceptions?: { unhandle?: () => void } };
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;
interface RawS3rverEvent {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } } }[];
}

const requireHere = createRequire(import.meta.url);

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** CORS for presigned uploads and downloads from the console's origin(s). */
export const corsXml = (origins: readonly string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration>
  <CORSRule>
${origins.map((o) => `    <AllowedOrigin>${xmlEscape(o)}</AllowedOrigin>`).join('\n')}
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/** S3 event keys are URL-encoded like a form value: spaces as '+', '/' kept. */
export const encodeEventKey = (key: string) =>
  key
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%20/g, '+'))
    .join('/');

export const partitionOf = (region: string) => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase();

/**
 * s3rver's `run()`, with the guard in front of its request listener: the HTTP server is created
 * here so that no request ever reaches s3rver unguarded. Resolves to the port bound.
 */
const listen = async (server: S3rverInstance, port: number, guard: ((inner: RequestListener) => RequestListener) | undefined) => {
  await server.configureBuckets();
  const koa = server.callback();
  const http = createServer(guard ? guard(koa) : koa);
  http.on('close', () => {
    server.logger?.exceptions?.unhandle?.();
    server.logger?.close?.();
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, LOOPBACK, () => {
      http.off('error', reject);
      resolve();
    });
  });
  server.httpServer = http;
  const addr = http.address();
  return typeof addr === 'object' && addr ? addr.port : port;
};

/** An ObjectCreated event exactly as S3 delivers it to Lambda (usable by tests that call the handler directly). */
export const objectCreatedEvent = (o: {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  region?: string | undefined;
  eventName?: string | undefined;
  sourceIp?: string | undefined;
  time?: Date | undefined;
}): S3Event => {
  const region = o.region ?? 'cn-north-1';
  const time = o.time ?? new Date();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: time.toISOString(),
        eventName: o.eventName ?? 'ObjectCreated:Put',
        userIdentity: { principalId: `AWS:${hex(10)}` },
        requestParameters: { sourceIPAddress: o.sourceIp ?? LOOPBACK },
        responseElements: {
          'x-amz-request-id': hex(8),
          'x-amz-id-2': createHash('sha256').update(randomBytes(16)).digest('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'attachment-arrived',
          bucket: { name: o.bucket, ownerIdentity: { principalId: hex(7) }, arn: `arn:${partitionOf(region)}:s3:::${o.bucket}` },
          object: {
            key: encodeEventKey(o.key),
            size: o.size,
            eTag: o.eTag.replace(/"/g, ''),
            sequencer: time.getTime().toString(16).toUpperCase().padStart(16, '0'),
          },
        },
      },
    ],
  };
};

export const localS3Client = (endpoint: string, region = 'cn-north-1') =>
  new S3Client({
    endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    // see docs/architecture.md §14: otherwise presigned URLs carry a CRC32 of an empty body
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

export const startS3Local = async (opts: S3LocalOptions): Promise<S3Local> => {
  const log = opts.log ?? silentLog;
  const region = opts.region ?? 'cn-north-1';
  mkdirSync(opts.directory, { recursive: true });
  const S3rver = requireHere('s3rver') as S3rverCtor;

  let server: S3rverInstance | undefined;
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = opts.port ?? (await freePort());
    server = new S3rver({
      address: LOOPBACK,
      port,
      silent: true,
      directory: opts.directory,
      vhostBuckets: false,
      configureBuckets: (opts.buckets ?? []).map((b) => ({
        name: b.name,
        configs: b.corsOrigins?.length ? [Buffer.from(corsXml(b.corsOrigins))] : [],
      })),
    });
    try {
      port = await listen(server, port, opts.guard === false ? undefined : createS3Guard({ store: server.store, region, credentials: [LOCAL_CREDENTIALS], log }).wrap);
      break;
    } catch (e) {
      if (opts.port === undefined && attempt < 3 && (e as { code?: string }).code === 'EADDRINUSE') continue;
      throw e;
    }
  }
  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = localS3Client(endpoint, region);

  const pending = new Set<Promise<void>>();
  const deliver = async (event: S3Event) => {
    const hook = opts.onObjectCreated;
    if (!hook) return;
    const key = event.Records[0]?.s3.object.key;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await hook(event);
        return;
      } catch (e) {
        log(`ObjectCreated hook failed for ${key} (attempt ${attempt}/3): ${(e as Error)?.stack ?? String(e)}`);
        if (attempt < 3) await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  };
  const toEvent = async (raw: RawS3rverEvent): Promise<S3Event | undefined> => {
    const r = raw.Records[0];
    if (!r || !r.eventName.startsWith('ObjectCreated:')) return undefined;
    const { name: bucket } = r.s3.bucket;
    const { key } = r.s3.object;
    let { size, eTag } = r.s3.object;
    if (size === undefined || eTag === undefined) {
      // s3rver's Copy events carry no eTag
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      size = head.ContentLength ?? 0;
      eTag = head.ETag ?? '';
    }
    return objectCreatedEvent({ bucket, key, size, eTag, region, eventName: r.eventName });
  };
  server.on('event', (raw) => {
    const p = toEvent(raw)
      .then((ev) => (ev ? deliver(ev) : undefined))
      .catch((e) => log(`could not build the S3 event: ${(e as Error)?.message}`))
      .finally(() => pending.delete(p));
    pending.add(p);
  });
  server.on('error', (e) => log(`s3rver: ${(e as Error)?.message ?? String(e)}`));
  log(`S3 (s3rver, data: ${opts.directory}) on ${endpoint}`);

  const drainEvents = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  let stopping: Promise<void> | undefined;
  const running = server;
  return {
    endpoint,
    port,
    directory: opts.directory,
    client,
    drainEvents,
    stop: () => {
      stopping ??= (async () => {
        await drainEvents();
        client.destroy();
        const closing = running.close();
        // keep-alive sockets of the handlers' S3 clients would hold close() for seconds
        running.httpServer?.closeIdleConnections();
        running.httpServer?.closeAllConnections();
        await closing;
      })();
      return stopping;
    },
  };
};
