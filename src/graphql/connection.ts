import { Field, ObjectType } from 'type-graphql';
import type { ClassType } from 'type-graphql';

/** A page of a GraphQL list, as every connection type answers it (Relay's cursor connections). */
export interface Connection<T> {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: T }>;
  readonly nodes: readonly T[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

/** The names a list's types carry in the schema (fixed once published). */
export interface ConnectionNames {
  /** `AccesskeyConnection`. */
  readonly connection: string;
  /** `AccesskeyEdge`. */
  readonly edge: string;
  /** `PageInfo`; several lists may share one. */
  readonly pageInfo: string;
}

const pageInfoTypes = new Map<string, ClassType>();

/** The `PageInfo`-shaped type of that name, declared once however many lists use it. */
function pageInfoType(name: string): ClassType {
  let type = pageInfoTypes.get(name);
  if (!type) {
    @ObjectType(name)
    class PageInfo {
      @Field(() => Boolean)
      hasNextPage!: boolean;

      @Field(() => String, { nullable: true })
      endCursor!: string | null;
    }
    type = PageInfo;
    pageInfoTypes.set(name, type);
  }
  return type;
}

/**
 * Declares a list's connection, edge and page-info types for `node` (the
 * one definition of their fields) and answers the connection type, for
 * `@Query(() => …)`. Resolvers answer with `connectionOf`.
 */
export function connectionType<T extends object>(node: ClassType<T>, names: ConnectionNames): ClassType<Connection<T>> {
  const PageInfo = pageInfoType(names.pageInfo);

  @ObjectType(names.edge)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(names.connection)
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: Connection<T>['pageInfo'];
  }
  return ConnectionType;
}

/** A page as its connection: `cursors[i]` is the cursor of `nodes[i]`. */
export function connectionOf<T>(nodes: readonly T[], cursors: readonly string[], hasNextPage: boolean): Connection<T> {
  return {
    edges: nodes.map((node, i) => ({ node, cursor: cursors[i] })),
    nodes,
    pageInfo: { hasNextPage, endCursor: cursors.at(-1) ?? null },
  };
}
