import { CfnOutput, CfnParameter, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, ClientAttributes, FeaturePlan, Mfa, StandardThreatProtectionMode, StringAttribute, UserPool, type UserPoolClient, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_LABELS, ROLES } from '../../shared/access/principal.ts';

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
 */
export class Identity extends Construct {
  readonly authorizer: IHttpRouteAuthorizer;
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;

  constructor(scope: Construct, id: string, props: { cognitoAvailable: boolean }) {
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
      // the console signs in with SRP against the pool; no hosted UI, so no OAuth flows (and no implicit grant)
      disableOAuth: true,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }).withCustomAttributes(...CUSTOM_CLAIMS),
      // nothing that authorisation depends on is writable by the user
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });
    this.userPool = pool;
    this.client = client;
    // the console sends the ID token: Cognito puts custom attributes and groups in it
    this.authorizer = new HttpUserPoolAuthorizer('UserPoolAuthorizer', pool, { userPoolClients: [client] });
    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: client.userPoolClientId });
  }
}
