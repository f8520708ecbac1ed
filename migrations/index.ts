import { CreateCustomersAndAccesskeys1764460800000 } from './1764460800000-CreateCustomersAndAccesskeys';
import { CreateAgents1764547200000 } from './1764547200000-CreateAgents';
import { CreateLoginFailures1764806400000 } from './1764806400000-CreateLoginFailures';

/** Every migration, oldest first. Listed explicitly so `tsc` output and ts-jest load the same set. */
export const migrations = [CreateCustomersAndAccesskeys1764460800000, CreateAgents1764547200000, CreateLoginFailures1764806400000];
