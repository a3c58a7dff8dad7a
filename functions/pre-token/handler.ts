import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { TEAM_CLAIM } from '../../shared/auth/access-token';

/**
 * Cognito pre-token-generation (V2) trigger: copies the user's team attribute
 * into the access token, where the API's handlers read it. Cognito puts custom
 * attributes only in ID tokens by default.
 */
export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  const team = event.request.userAttributes[TEAM_CLAIM];
  event.response = {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: team ? { claimsToAddOrOverride: { [TEAM_CLAIM]: team } } : {},
    },
  };
  return event;
};
