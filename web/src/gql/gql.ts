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
    "\n  query Viewer {\n    viewer {\n      workspace {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query Webhook($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        name\n        description\n        direction\n        status\n        schemaVersion\n        createdAt\n        lastActivityAt\n        flowCount\n        variables\n        inbound {\n          url\n          capturing\n          auth {\n            mode\n            preset\n            secretHint\n            toleranceSeconds\n          }\n          contactResolution {\n            match\n            path\n            createIfMissing\n          }\n        }\n        outbound {\n          url\n          auth\n          events\n          maxRetries\n          timeoutSeconds\n          secretHint\n          maxConcurrency\n          rateLimitPerSecond\n          ordered\n          health {\n            state\n            since\n            consecutiveFailures\n            lastError\n            heldDeliveries\n          }\n        }\n        schemas {\n          version\n          capturedAt\n          fields {\n            path\n            type\n          }\n        }\n        flows(first: 20) {\n          edges {\n            node {\n              id\n              name\n              enabled\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhookDocument,
    "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      description\n    }\n  }\n": typeof types.UpdateWebhookDocument,
    "\n  mutation SetWebhookStatus($id: ID!, $status: WebhookStatus!) {\n    setWebhookStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": typeof types.SetWebhookStatusDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": typeof types.DeleteWebhookDocument,
    "\n  mutation RotateWebhookSecret($id: ID!, $grace: Int, $secret: String) {\n    rotateWebhookSecret(id: $id, graceSeconds: $grace, secret: $secret) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  mutation StartSchemaCapture($id: ID!) {\n    startSchemaCapture(webhookId: $id) {\n      id\n      inbound {\n        capturing\n      }\n    }\n  }\n": typeof types.StartSchemaCaptureDocument,
    "\n  subscription CaptureTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      id\n      outcome\n    }\n  }\n": typeof types.CaptureTailDocument,
    "\n  mutation ReplayDeliveries($id: ID!, $since: Time!, $until: Time, $statuses: [DeliveryStatus!]) {\n    replayDeliveries(webhookId: $id, since: $since, until: $until, statuses: $statuses)\n  }\n": typeof types.ReplayDeliveriesDocument,
    "\n  query Events($first: Int!, $after: Cursor, $where: EventFilter) {\n    events(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          type\n          occurredAt\n          deliveries {\n            id\n            status\n            attempts\n            nextAttemptAt\n            webhook {\n              id\n              name\n            }\n            logs {\n              ...LogRow\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.EventsDocument,
    "\n  query Flows($first: Int!, $after: Cursor) {\n    flows(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          enabled\n          updatedAt\n          trigger {\n            webhook {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.FlowsDocument,
    "\n  query Flow($id: ID!) {\n    node(id: $id) {\n      ... on Flow {\n        id\n        name\n        enabled\n        trigger {\n          webhook {\n            id\n          }\n        }\n        steps {\n          type\n          config\n        }\n      }\n    }\n  }\n": typeof types.FlowDocument,
    "\n  query InboundHooks {\n    webhooks(first: 500, where: { direction: INBOUND }, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          variables\n        }\n      }\n    }\n  }\n": typeof types.InboundHooksDocument,
    "\n  mutation CreateFlow($input: CreateFlowInput!) {\n    createFlow(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateFlowDocument,
    "\n  mutation DeleteFlow($id: ID!) {\n    deleteFlow(id: $id)\n  }\n": typeof types.DeleteFlowDocument,
    "\n  mutation UpdateFlow($id: ID!, $input: UpdateFlowInput!) {\n    updateFlow(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n": typeof types.UpdateFlowDocument,
    "\n  fragment LogRow on WebhookLog {\n    id\n    occurredAt\n    outcome\n    statusCode\n    durationMs\n    attempt\n    error\n  }\n": typeof types.LogRowFragmentDoc,
    "\n  query Logs($first: Int!, $after: Cursor, $where: WebhookLogFilter!) {\n    webhookLogs(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...LogRow\n        }\n      }\n    }\n  }\n": typeof types.LogsDocument,
    "\n  subscription LogTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      ...LogRow\n    }\n  }\n": typeof types.LogTailDocument,
    "\n  query LogDetail($id: ID!) {\n    node(id: $id) {\n      ... on WebhookLog {\n        id\n        direction\n        error\n        nextRetryAt\n        request {\n          method\n          url\n          headers\n          body\n        }\n        response {\n          headers\n          body\n        }\n        webhook {\n          id\n        }\n        event {\n          id\n          type\n          deliveries {\n            id\n            status\n            webhook {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.LogDetailDocument,
    "\n  mutation RetryDelivery($id: ID!) {\n    retryDelivery(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.RetryDeliveryDocument,
    "\n  query AuthPresets {\n    authPresets {\n      key\n      name\n      mode\n      secretLabel\n      docsUrl\n    }\n  }\n": typeof types.AuthPresetsDocument,
    "\n  mutation CreateInbound($input: CreateInboundWebhookInput!) {\n    createInboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n        inbound {\n          url\n        }\n      }\n    }\n  }\n": typeof types.CreateInboundDocument,
    "\n  mutation CreateOutbound($input: CreateOutboundWebhookInput!) {\n    createOutboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateOutboundDocument,
    "\n  query EventTypes {\n    eventTypes\n  }\n": typeof types.EventTypesDocument,
    "\n  mutation SendTestEvent($id: ID!) {\n    sendTestEvent(webhookId: $id) {\n      id\n      status\n    }\n  }\n": typeof types.SendTestEventDocument,
    "\n  query Webhooks($first: Int!, $after: Cursor, $where: WebhookWhereInput) {\n    webhooks(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          direction\n          status\n          schemaVersion\n          flowCount\n          createdAt\n          lastActivityAt\n          outbound {\n            health {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhooksDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    viewer {\n      workspace {\n        id\n        name\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  query Webhook($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        name\n        description\n        direction\n        status\n        schemaVersion\n        createdAt\n        lastActivityAt\n        flowCount\n        variables\n        inbound {\n          url\n          capturing\n          auth {\n            mode\n            preset\n            secretHint\n            toleranceSeconds\n          }\n          contactResolution {\n            match\n            path\n            createIfMissing\n          }\n        }\n        outbound {\n          url\n          auth\n          events\n          maxRetries\n          timeoutSeconds\n          secretHint\n          maxConcurrency\n          rateLimitPerSecond\n          ordered\n          health {\n            state\n            since\n            consecutiveFailures\n            lastError\n            heldDeliveries\n          }\n        }\n        schemas {\n          version\n          capturedAt\n          fields {\n            path\n            type\n          }\n        }\n        flows(first: 20) {\n          edges {\n            node {\n              id\n              name\n              enabled\n            }\n          }\n        }\n      }\n    }\n  }\n": types.WebhookDocument,
    "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      description\n    }\n  }\n": types.UpdateWebhookDocument,
    "\n  mutation SetWebhookStatus($id: ID!, $status: WebhookStatus!) {\n    setWebhookStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": types.SetWebhookStatusDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": types.DeleteWebhookDocument,
    "\n  mutation RotateWebhookSecret($id: ID!, $grace: Int, $secret: String) {\n    rotateWebhookSecret(id: $id, graceSeconds: $grace, secret: $secret) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  mutation StartSchemaCapture($id: ID!) {\n    startSchemaCapture(webhookId: $id) {\n      id\n      inbound {\n        capturing\n      }\n    }\n  }\n": types.StartSchemaCaptureDocument,
    "\n  subscription CaptureTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      id\n      outcome\n    }\n  }\n": types.CaptureTailDocument,
    "\n  mutation ReplayDeliveries($id: ID!, $since: Time!, $until: Time, $statuses: [DeliveryStatus!]) {\n    replayDeliveries(webhookId: $id, since: $since, until: $until, statuses: $statuses)\n  }\n": types.ReplayDeliveriesDocument,
    "\n  query Events($first: Int!, $after: Cursor, $where: EventFilter) {\n    events(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          type\n          occurredAt\n          deliveries {\n            id\n            status\n            attempts\n            nextAttemptAt\n            webhook {\n              id\n              name\n            }\n            logs {\n              ...LogRow\n            }\n          }\n        }\n      }\n    }\n  }\n": types.EventsDocument,
    "\n  query Flows($first: Int!, $after: Cursor) {\n    flows(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          enabled\n          updatedAt\n          trigger {\n            webhook {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": types.FlowsDocument,
    "\n  query Flow($id: ID!) {\n    node(id: $id) {\n      ... on Flow {\n        id\n        name\n        enabled\n        trigger {\n          webhook {\n            id\n          }\n        }\n        steps {\n          type\n          config\n        }\n      }\n    }\n  }\n": types.FlowDocument,
    "\n  query InboundHooks {\n    webhooks(first: 500, where: { direction: INBOUND }, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          variables\n        }\n      }\n    }\n  }\n": types.InboundHooksDocument,
    "\n  mutation CreateFlow($input: CreateFlowInput!) {\n    createFlow(input: $input) {\n      id\n    }\n  }\n": types.CreateFlowDocument,
    "\n  mutation DeleteFlow($id: ID!) {\n    deleteFlow(id: $id)\n  }\n": types.DeleteFlowDocument,
    "\n  mutation UpdateFlow($id: ID!, $input: UpdateFlowInput!) {\n    updateFlow(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n": types.UpdateFlowDocument,
    "\n  fragment LogRow on WebhookLog {\n    id\n    occurredAt\n    outcome\n    statusCode\n    durationMs\n    attempt\n    error\n  }\n": types.LogRowFragmentDoc,
    "\n  query Logs($first: Int!, $after: Cursor, $where: WebhookLogFilter!) {\n    webhookLogs(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...LogRow\n        }\n      }\n    }\n  }\n": types.LogsDocument,
    "\n  subscription LogTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      ...LogRow\n    }\n  }\n": types.LogTailDocument,
    "\n  query LogDetail($id: ID!) {\n    node(id: $id) {\n      ... on WebhookLog {\n        id\n        direction\n        error\n        nextRetryAt\n        request {\n          method\n          url\n          headers\n          body\n        }\n        response {\n          headers\n          body\n        }\n        webhook {\n          id\n        }\n        event {\n          id\n          type\n          deliveries {\n            id\n            status\n            webhook {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n": types.LogDetailDocument,
    "\n  mutation RetryDelivery($id: ID!) {\n    retryDelivery(id: $id) {\n      id\n      status\n    }\n  }\n": types.RetryDeliveryDocument,
    "\n  query AuthPresets {\n    authPresets {\n      key\n      name\n      mode\n      secretLabel\n      docsUrl\n    }\n  }\n": types.AuthPresetsDocument,
    "\n  mutation CreateInbound($input: CreateInboundWebhookInput!) {\n    createInboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n        inbound {\n          url\n        }\n      }\n    }\n  }\n": types.CreateInboundDocument,
    "\n  mutation CreateOutbound($input: CreateOutboundWebhookInput!) {\n    createOutboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n      }\n    }\n  }\n": types.CreateOutboundDocument,
    "\n  query EventTypes {\n    eventTypes\n  }\n": types.EventTypesDocument,
    "\n  mutation SendTestEvent($id: ID!) {\n    sendTestEvent(webhookId: $id) {\n      id\n      status\n    }\n  }\n": types.SendTestEventDocument,
    "\n  query Webhooks($first: Int!, $after: Cursor, $where: WebhookWhereInput) {\n    webhooks(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          direction\n          status\n          schemaVersion\n          flowCount\n          createdAt\n          lastActivityAt\n          outbound {\n            health {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n": types.WebhooksDocument,
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
export function graphql(source: "\n  query Viewer {\n    viewer {\n      workspace {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      workspace {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Webhook($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        name\n        description\n        direction\n        status\n        schemaVersion\n        createdAt\n        lastActivityAt\n        flowCount\n        variables\n        inbound {\n          url\n          capturing\n          auth {\n            mode\n            preset\n            secretHint\n            toleranceSeconds\n          }\n          contactResolution {\n            match\n            path\n            createIfMissing\n          }\n        }\n        outbound {\n          url\n          auth\n          events\n          maxRetries\n          timeoutSeconds\n          secretHint\n          maxConcurrency\n          rateLimitPerSecond\n          ordered\n          health {\n            state\n            since\n            consecutiveFailures\n            lastError\n            heldDeliveries\n          }\n        }\n        schemas {\n          version\n          capturedAt\n          fields {\n            path\n            type\n          }\n        }\n        flows(first: 20) {\n          edges {\n            node {\n              id\n              name\n              enabled\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Webhook($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        name\n        description\n        direction\n        status\n        schemaVersion\n        createdAt\n        lastActivityAt\n        flowCount\n        variables\n        inbound {\n          url\n          capturing\n          auth {\n            mode\n            preset\n            secretHint\n            toleranceSeconds\n          }\n          contactResolution {\n            match\n            path\n            createIfMissing\n          }\n        }\n        outbound {\n          url\n          auth\n          events\n          maxRetries\n          timeoutSeconds\n          secretHint\n          maxConcurrency\n          rateLimitPerSecond\n          ordered\n          health {\n            state\n            since\n            consecutiveFailures\n            lastError\n            heldDeliveries\n          }\n        }\n        schemas {\n          version\n          capturedAt\n          fields {\n            path\n            type\n          }\n        }\n        flows(first: 20) {\n          edges {\n            node {\n              id\n              name\n              enabled\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      description\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      description\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetWebhookStatus($id: ID!, $status: WebhookStatus!) {\n    setWebhookStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SetWebhookStatus($id: ID!, $status: WebhookStatus!) {\n    setWebhookStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($id: ID!, $grace: Int, $secret: String) {\n    rotateWebhookSecret(id: $id, graceSeconds: $grace, secret: $secret) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RotateWebhookSecret($id: ID!, $grace: Int, $secret: String) {\n    rotateWebhookSecret(id: $id, graceSeconds: $grace, secret: $secret) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartSchemaCapture($id: ID!) {\n    startSchemaCapture(webhookId: $id) {\n      id\n      inbound {\n        capturing\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartSchemaCapture($id: ID!) {\n    startSchemaCapture(webhookId: $id) {\n      id\n      inbound {\n        capturing\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CaptureTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      id\n      outcome\n    }\n  }\n"): (typeof documents)["\n  subscription CaptureTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      id\n      outcome\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplayDeliveries($id: ID!, $since: Time!, $until: Time, $statuses: [DeliveryStatus!]) {\n    replayDeliveries(webhookId: $id, since: $since, until: $until, statuses: $statuses)\n  }\n"): (typeof documents)["\n  mutation ReplayDeliveries($id: ID!, $since: Time!, $until: Time, $statuses: [DeliveryStatus!]) {\n    replayDeliveries(webhookId: $id, since: $since, until: $until, statuses: $statuses)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Events($first: Int!, $after: Cursor, $where: EventFilter) {\n    events(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          type\n          occurredAt\n          deliveries {\n            id\n            status\n            attempts\n            nextAttemptAt\n            webhook {\n              id\n              name\n            }\n            logs {\n              ...LogRow\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Events($first: Int!, $after: Cursor, $where: EventFilter) {\n    events(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          type\n          occurredAt\n          deliveries {\n            id\n            status\n            attempts\n            nextAttemptAt\n            webhook {\n              id\n              name\n            }\n            logs {\n              ...LogRow\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Flows($first: Int!, $after: Cursor) {\n    flows(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          enabled\n          updatedAt\n          trigger {\n            webhook {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Flows($first: Int!, $after: Cursor) {\n    flows(first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          enabled\n          updatedAt\n          trigger {\n            webhook {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Flow($id: ID!) {\n    node(id: $id) {\n      ... on Flow {\n        id\n        name\n        enabled\n        trigger {\n          webhook {\n            id\n          }\n        }\n        steps {\n          type\n          config\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Flow($id: ID!) {\n    node(id: $id) {\n      ... on Flow {\n        id\n        name\n        enabled\n        trigger {\n          webhook {\n            id\n          }\n        }\n        steps {\n          type\n          config\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboundHooks {\n    webhooks(first: 500, where: { direction: INBOUND }, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          variables\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboundHooks {\n    webhooks(first: 500, where: { direction: INBOUND }, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          variables\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateFlow($input: CreateFlowInput!) {\n    createFlow(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateFlow($input: CreateFlowInput!) {\n    createFlow(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteFlow($id: ID!) {\n    deleteFlow(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteFlow($id: ID!) {\n    deleteFlow(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateFlow($id: ID!, $input: UpdateFlowInput!) {\n    updateFlow(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateFlow($id: ID!, $input: UpdateFlowInput!) {\n    updateFlow(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogRow on WebhookLog {\n    id\n    occurredAt\n    outcome\n    statusCode\n    durationMs\n    attempt\n    error\n  }\n"): (typeof documents)["\n  fragment LogRow on WebhookLog {\n    id\n    occurredAt\n    outcome\n    statusCode\n    durationMs\n    attempt\n    error\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Logs($first: Int!, $after: Cursor, $where: WebhookLogFilter!) {\n    webhookLogs(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...LogRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Logs($first: Int!, $after: Cursor, $where: WebhookLogFilter!) {\n    webhookLogs(first: $first, after: $after, where: $where) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...LogRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LogTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      ...LogRow\n    }\n  }\n"): (typeof documents)["\n  subscription LogTail($id: ID) {\n    webhookLogTail(webhookId: $id) {\n      ...LogRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LogDetail($id: ID!) {\n    node(id: $id) {\n      ... on WebhookLog {\n        id\n        direction\n        error\n        nextRetryAt\n        request {\n          method\n          url\n          headers\n          body\n        }\n        response {\n          headers\n          body\n        }\n        webhook {\n          id\n        }\n        event {\n          id\n          type\n          deliveries {\n            id\n            status\n            webhook {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LogDetail($id: ID!) {\n    node(id: $id) {\n      ... on WebhookLog {\n        id\n        direction\n        error\n        nextRetryAt\n        request {\n          method\n          url\n          headers\n          body\n        }\n        response {\n          headers\n          body\n        }\n        webhook {\n          id\n        }\n        event {\n          id\n          type\n          deliveries {\n            id\n            status\n            webhook {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryDelivery($id: ID!) {\n    retryDelivery(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RetryDelivery($id: ID!) {\n    retryDelivery(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthPresets {\n    authPresets {\n      key\n      name\n      mode\n      secretLabel\n      docsUrl\n    }\n  }\n"): (typeof documents)["\n  query AuthPresets {\n    authPresets {\n      key\n      name\n      mode\n      secretLabel\n      docsUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateInbound($input: CreateInboundWebhookInput!) {\n    createInboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n        inbound {\n          url\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateInbound($input: CreateInboundWebhookInput!) {\n    createInboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n        inbound {\n          url\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOutbound($input: CreateOutboundWebhookInput!) {\n    createOutboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOutbound($input: CreateOutboundWebhookInput!) {\n    createOutboundWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventTypes {\n    eventTypes\n  }\n"): (typeof documents)["\n  query EventTypes {\n    eventTypes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestEvent($id: ID!) {\n    sendTestEvent(webhookId: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SendTestEvent($id: ID!) {\n    sendTestEvent(webhookId: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Webhooks($first: Int!, $after: Cursor, $where: WebhookWhereInput) {\n    webhooks(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          direction\n          status\n          schemaVersion\n          flowCount\n          createdAt\n          lastActivityAt\n          outbound {\n            health {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Webhooks($first: Int!, $after: Cursor, $where: WebhookWhereInput) {\n    webhooks(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          direction\n          status\n          schemaVersion\n          flowCount\n          createdAt\n          lastActivityAt\n          outbound {\n            health {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;