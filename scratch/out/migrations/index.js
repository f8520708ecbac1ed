"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.migrations = void 0;
const _1764460800000_CreateCustomersAndAccesskeys_1 = require("./1764460800000-CreateCustomersAndAccesskeys");
/** Every migration, oldest first. Listed explicitly so `tsc` output and ts-jest load the same set. */
exports.migrations = [_1764460800000_CreateCustomersAndAccesskeys_1.CreateCustomersAndAccesskeys1764460800000];
