import { ApiError } from '../http/api-error';
import { Audience } from './resources';
import { IssuedToken, TokenStore } from './token.store';

export interface AccessRequirement {
  audience: Audience;
  /** Any one of these application permissions grants access. */
  anyOfRoles: string[];
  /** Graph security APIs word their 403 differently from Defender. */
  graphWording?: boolean;
}

/** Checks the bearer token of an API/Graph call; throws the 401/403 the real service answers. */
export function authorize(
  authorization: string | undefined,
  tokens: TokenStore,
  requirement: AccessRequirement,
): IssuedToken {
  if (!authorization) throw new ApiError(401, 'Unauthorized', 'Authorization header is missing.');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new ApiError(401, 'Unauthorized', 'Authorization header must use the Bearer scheme.');
  const token = tokens.lookup(match[1]);
  if (!token) throw new ApiError(401, 'Unauthorized', 'The access token is invalid.');
  if (tokens.isExpired(token)) throw new ApiError(401, 'Unauthorized', 'The access token has expired.');
  if (token.audience !== requirement.audience) {
    throw new ApiError(403, 'Forbidden', 'The access token was issued for another resource (invalid audience).');
  }
  if (!requirement.anyOfRoles.some((role) => token.roles.includes(role))) {
    if (requirement.graphWording) {
      throw new ApiError(403, 'Forbidden', `Missing application roles. API required roles: ${requirement.anyOfRoles.join(',')}, application roles: ${token.roles.join(',')}.`);
    }
    throw new ApiError(
      403,
      'Forbidden',
      `The application does not have any of the required application permissions (${requirement.anyOfRoles.join(', ')}) to access the resource.`,
    );
  }
  return token;
}
