/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ListAccesskeys($first: Int, $after: String) {\n  accesskeys(first: $first, after: $after) {\n    nodes {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery GetAccesskey($id: ID!) {\n  accesskey(id: $id) {\n    id\n    name\n    detail\n    tmCreate\n    tmDelete\n  }\n}\n\nmutation CreateAccesskey($input: CreateAccesskeyInput!) {\n  createAccesskey(input: $input) {\n    token\n    accesskey {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n  }\n}\n\nmutation RenameAccesskey($id: ID!, $name: String!) {\n  updateAccesskey(id: $id, input: {name: $name}) {\n    id\n    name\n    tmUpdate\n  }\n}\n\nmutation DeleteAccesskey($id: ID!) {\n  deleteAccesskey(id: $id) {\n    id\n    tmDelete\n  }\n}\n\nquery Me {\n  me {\n    kind\n    customerId\n    permissions\n  }\n}": typeof types.ListAccesskeysDocument,
};
const documents: Documents = {
    "query ListAccesskeys($first: Int, $after: String) {\n  accesskeys(first: $first, after: $after) {\n    nodes {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery GetAccesskey($id: ID!) {\n  accesskey(id: $id) {\n    id\n    name\n    detail\n    tmCreate\n    tmDelete\n  }\n}\n\nmutation CreateAccesskey($input: CreateAccesskeyInput!) {\n  createAccesskey(input: $input) {\n    token\n    accesskey {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n  }\n}\n\nmutation RenameAccesskey($id: ID!, $name: String!) {\n  updateAccesskey(id: $id, input: {name: $name}) {\n    id\n    name\n    tmUpdate\n  }\n}\n\nmutation DeleteAccesskey($id: ID!) {\n  deleteAccesskey(id: $id) {\n    id\n    tmDelete\n  }\n}\n\nquery Me {\n  me {\n    kind\n    customerId\n    permissions\n  }\n}": types.ListAccesskeysDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ListAccesskeys($first: Int, $after: String) {\n  accesskeys(first: $first, after: $after) {\n    nodes {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery GetAccesskey($id: ID!) {\n  accesskey(id: $id) {\n    id\n    name\n    detail\n    tmCreate\n    tmDelete\n  }\n}\n\nmutation CreateAccesskey($input: CreateAccesskeyInput!) {\n  createAccesskey(input: $input) {\n    token\n    accesskey {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n  }\n}\n\nmutation RenameAccesskey($id: ID!, $name: String!) {\n  updateAccesskey(id: $id, input: {name: $name}) {\n    id\n    name\n    tmUpdate\n  }\n}\n\nmutation DeleteAccesskey($id: ID!) {\n  deleteAccesskey(id: $id) {\n    id\n    tmDelete\n  }\n}\n\nquery Me {\n  me {\n    kind\n    customerId\n    permissions\n  }\n}"): (typeof documents)["query ListAccesskeys($first: Int, $after: String) {\n  accesskeys(first: $first, after: $after) {\n    nodes {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery GetAccesskey($id: ID!) {\n  accesskey(id: $id) {\n    id\n    name\n    detail\n    tmCreate\n    tmDelete\n  }\n}\n\nmutation CreateAccesskey($input: CreateAccesskeyInput!) {\n  createAccesskey(input: $input) {\n    token\n    accesskey {\n      id\n      name\n      tokenPrefix\n      tmExpire\n    }\n  }\n}\n\nmutation RenameAccesskey($id: ID!, $name: String!) {\n  updateAccesskey(id: $id, input: {name: $name}) {\n    id\n    name\n    tmUpdate\n  }\n}\n\nmutation DeleteAccesskey($id: ID!) {\n  deleteAccesskey(id: $id) {\n    id\n    tmDelete\n  }\n}\n\nquery Me {\n  me {\n    kind\n    customerId\n    permissions\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;