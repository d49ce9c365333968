/** Identity: users, roles, sessions, API tokens. */
export { identityRoutes, SESSION_COOKIE } from './routes';
export {
  resolveSession,
  resolveApiToken,
  looksLikeApiToken,
  createUser,
  resetPassword,
  findUserByUsername,
  findUserById,
  activeUsersWithRole,
  purgeExpiredSessions,
  type SessionPolicy,
  type UserDto,
} from './service';
export { callerForHotWrite, callerArrays, assertCallersSql, refusedCaller } from './callers';
