import { CfnOutput, CfnParameter, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_LABELS, ROLES } from '../../shared/access/principal.ts';
import type { ConsoleSignIn } from './console-hosting.ts';

/**
 * The custom claims shared/access/principal.ts reads (`custom:<name>`), besides `sub`, `name` and
 * `cognito:groups` (one group per role).
 */
export const CUSTOM_CLAIMS = ['agencyId', 'unitId', 'officerId'] as const;

/** Claims are capped at 128 characters by principalFromClaims; the attributes hold no more. */
const CLAIM_MAX_LENGTH = 128;

/**
 * Who may call the API (docs/security.md §1): a JWT on every route except health, OpenAPI and signed
 * webhooks, carrying the caller's roles as groups and agency, unit and officer as custom claims.
 *
 * - Global partition: a Cognito user pool. Accounts are created by the agency (no self sign-up),
 *   strong passwords, TOTP MFA required, the Plus feature plan with threat protection enforced.
 *   The console's app client can read the custom attributes but write none of them: agency, unit
 *   and officer id are set by administrators, never by the user they describe.
 * - aws-cn: Amazon Cognito user pools are not offered in the China regions (CloudFormation there
 *   does not know AWS::Cognito::UserPool), so the API trusts the agency's own OpenID Connect
 *   provider (e.g. a 政务统一身份认证 platform or Keycloak) through a JWT authorizer. Its issuer and
 *   audience are deployment parameters; the provider must issue the same claims.
 *
 * The web console signs in with the authorization code flow and PKCE (web/src/auth/oidc.ts,
 * oidc-client-ts): against the pool's hosted sign-in (a Cognito domain) in the global partition,
 * against the agency's provider in aws-cn, whose administrators register the console's callback URL
 * (stack output ConsoleCallbackUrl) and issue the first audience value as its client id.
 */
export class Identity extends Construct {
  readonly authorizer: IHttpRouteAuthorizer;
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;
  /** what the console's /config.json says about signing in (infra/aws/console-hosting.ts) */
  readonly consoleSignIn: ConsoleSignIn;

  constructor(scope: Construct, id: string, props: { cognitoAvailable: boolean; console: { callbackUrl: string; signedOutUrl: string }; cognitoDomainPrefix: string }) {
    super(scope, id);
    if (!props.cognitoAvailable) {
      const issuer = new CfnParameter(this, 'OidcIssuerUrl', {
        type: 'String',
        description: 'Issuer URL of the agency OpenID Connect provider (https://...); its tokens carry sub, cognito:groups and custom:agencyId/unitId/officerId',
        allowedPattern: '^https://\\S+$',
      });
      const audience = new CfnParameter(this, 'OidcAudience', {
        type: 'CommaDelimitedList',
        description: 'Accepted aud / client_id values of the console tokens',
      });
      // stable names for `cdk deploy --parameters OidcIssuerUrl=… --parameters OidcAudience=…`
      issuer.overrideLogicalId('OidcIssuerUrl');
      audience.overrideLogicalId('OidcAudience');
      this.authorizer = new HttpJwtAuthorizer('OidcAuthorizer', issuer.valueAsString, { jwtAudience: audience.valueAsList });
      // the issuer's origin (https://host) for the console's CSP; its token endpoint is expected on the same host
      this.consoleSignIn = {
        authority: issuer.valueAsString,
        clientId: Fn.select(0, audience.valueAsList),
        scope: 'openid profile',
        connectOrigins: [`https://${Fn.select(2, Fn.split('/', issuer.valueAsString))}`],
      };
      return;
    }

    const pool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { fullname: { required: false, mutable: true } },
      customAttributes: Object.fromEntries(CUSTOM_CLAIMS.map((name) => [name, new StringAttribute({ minLen: 1, maxLen: CLAIM_MAX_LENGTH, mutable: true })])),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // accounts are reset by the agency's administrators, not by e-mail or SMS
      accountRecovery: AccountRecovery.NONE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, { userPool: pool, groupName: role, description: ROLE_LABELS[role] });
    }
    const client = pool.addClient('Console', {
      generateSecret: false,
      // authorization code flow only (no implicit grant); a public client without secret, the console
      // always sends a PKCE challenge (oidc-client-ts). No direct password (SRP) flow: sign-in is hosted.
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE],
        callbackUrls: [props.console.callbackUrl],
        logoutUrls: [props.console.signedOutUrl],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }).withCustomAttributes(...CUSTOM_CLAIMS),
      // nothing that authorisation depends on is writable by the user
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });
    // only the refresh of a session begun at the hosted sign-in: no password (SRP) or custom flow against the client
    (client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    // the hosted sign-in pages the authorization endpoint lives on
    const domain = pool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.cognitoDomainPrefix } });
    this.userPool = pool;
    this.client = client;
    const region = Stack.of(this).region;
    this.consoleSignIn = {
      authority: `https://cognito-idp.${region}.${Stack.of(this).urlSuffix}/${pool.userPoolId}`,
      clientId: client.userPoolClientId,
      scope: 'openid profile',
      // discovery and keys on cognito-idp, the token endpoint on the domain
      connectOrigins: [`https://cognito-idp.${region}.${Stack.of(this).urlSuffix}`, domain.baseUrl()],
    };
    // the console sends the ID token: Cognito puts custom attributes and groups in it
    this.authorizer = new HttpUserPoolAuthorizer('UserPoolAuthorizer', pool, { userPoolClients: [client] });
    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: client.userPoolClientId });
  }
}
