import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The AWS SDK's default credential provider as the Lambda bundles carry it. Every SDK client takes
 * its credentials from `defaultProvider` of `@aws-sdk/credential-provider-node` unless given others;
 * the bundles resolve that package to this module (esbuild `alias`, infra/aws/bundling.ts), so a
 * function holds the one provider Lambda needs: the execution role's credentials, which Lambda puts
 * in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). The rest of the
 * default chain (profiles, SSO, web identity, credential process, container and instance metadata)
 * and the STS, SSO and sign-in clients it brings would add ~130 KB to every function and never run
 * there (docs/architecture.md §10). Nothing imports this module by name; the local platform and the
 * tests run the sources unbundled and keep the SDK's full chain.
 */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
