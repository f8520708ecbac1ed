"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Accesskey = void 0;
const typeorm_1 = require("typeorm");
/**
 * A long-lived API key. Only the SHA-256 of the token and its first 11
 * characters are stored; the token itself exists only in the create response.
 */
let Accesskey = class Accesskey {
    id;
    customerId;
    name;
    detail;
    /** Lowercase hex SHA-256 of the full token. Never exposed. */
    tokenHash;
    tokenPrefix;
    tmExpire;
    tmCreate;
    tmUpdate;
    /** `null` while the key is live. */
    tmDelete;
};
exports.Accesskey = Accesskey;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'uuid' }),
    __metadata("design:type", String)
], Accesskey.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'customer_id', type: 'uuid' }),
    __metadata("design:type", String)
], Accesskey.prototype, "customerId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 255 }),
    __metadata("design:type", String)
], Accesskey.prototype, "name", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], Accesskey.prototype, "detail", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'token_hash', type: 'char', length: 64, unique: true }),
    __metadata("design:type", String)
], Accesskey.prototype, "tokenHash", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'token_prefix', type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], Accesskey.prototype, "tokenPrefix", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tm_expire', type: 'timestamptz' }),
    __metadata("design:type", Function)
], Accesskey.prototype, "tmExpire", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tm_create', type: 'timestamptz' }),
    __metadata("design:type", Function)
], Accesskey.prototype, "tmCreate", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tm_update', type: 'timestamptz' }),
    __metadata("design:type", Function)
], Accesskey.prototype, "tmUpdate", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tm_delete', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Function)
], Accesskey.prototype, "tmDelete", void 0);
exports.Accesskey = Accesskey = __decorate([
    (0, typeorm_1.Entity)({ name: 'accesskeys' })
], Accesskey);
