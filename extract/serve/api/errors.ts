/**
 * Every error the API answers is JSON: `{ error, message, parameter? }`, with the parameter named
 * when one was wrong. Server faults say only that the error is in the server's log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { redact } from "../../log.ts";

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const errorBodySchema = {
  type: "object",
  properties: {
    error: { type: "string", description: "Machine-readable kind: invalid_parameter, unauthorized, forbidden, not_found, conflict, rate_limited, unavailable, internal." },
    message: { type: "string", description: "What went wrong and what to do." },
    parameter: { type: "string", description: "The request parameter at fault, when there is one." },
  },
  required: ["error", "message"],
} as const;

function describeValidation(error: FastifyError, request: FastifyRequest): { parameter?: string; message: string } {
  const [first] = error.validation ?? [];
  if (!first) return { message: error.message };
  const params = first.params as Record<string, unknown>;
  const fromPath = first.instancePath.split("/").filter(Boolean).join(".");
  const parameter = (params.missingProperty as string | undefined) ?? (fromPath || undefined);
  if (first.keyword === "required") return { parameter, message: `${parameter} is required.` };
  if (first.keyword === "pattern" || first.keyword === "format") {
    // The parameter's own description says what a valid value looks like.
    const schema = request.routeOptions.schema as Record<string, { properties?: Record<string, { description?: string }> }> | undefined;
    const hint = parameter && error.validationContext ? schema?.[error.validationContext]?.properties?.[parameter]?.description : undefined;
    return { parameter, message: `${parameter} is not valid${hint ? `: ${hint}` : ` (${first.message}).`}` };
  }
  return { parameter, message: `${parameter ?? error.validationContext ?? "request"} ${first.message}.` };
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.statusCode).type("application/json").send({
    error: error.code,
    message: error.message,
    ...(error.parameter ? { parameter: error.parameter } : {}),
    ...error.extra,
  });
}

/** Installs the JSON error and not-found handlers on the API's own (encapsulated) instance. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) return sendError(reply, error);
    if (error.validation) {
      const { parameter, message } = describeValidation(error, request);
      return sendError(reply, new ApiError(400, "invalid_parameter", message, parameter));
    }
    if (error.statusCode === 429) {
      return sendError(reply, new ApiError(429, "rate_limited", "Too many requests with this key; wait for the time in the Retry-After header."));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, new ApiError(error.statusCode, "bad_request", redact(error.message)));
    }
    request.log.error({ err: { message: redact(error.message), code: (error as { code?: string }).code } }, "API request failed");
    return sendError(reply, new ApiError(500, "internal", "The server could not answer this request; the cause is in its log."));
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, new ApiError(404, "not_found", `There is no ${request.method} ${request.url.split("?")[0]}; the endpoints are listed at /api/v1/docs.`)),
  );
}

/**
 * Rejects query and body fields a route does not declare, naming them. Fastify's validator would
 * ignore or strip them silently (its options belong to the server, not to this plugin), turning
 * a typo such as `curency=USD` into an unfiltered answer.
 */
export function rejectUnknownFields(routeOptions: RouteOptions): void {
  const schema = routeOptions.schema as { querystring?: { properties?: object }; body?: { properties?: object } } | undefined;
  const allowedQuery = schema?.querystring?.properties ? new Set(Object.keys(schema.querystring.properties)) : undefined;
  const allowedBody = schema?.body?.properties ? new Set(Object.keys(schema.body.properties)) : undefined;
  if (!allowedQuery && !allowedBody) return;
  const check = async (request: FastifyRequest) => {
    for (const [allowed, values, where] of [
      [allowedQuery, request.query, "query parameter"],
      [allowedBody, request.body, "body field"],
    ] as const) {
      if (!allowed || !values || typeof values !== "object") continue;
      const unknown = Object.keys(values).find((name) => !allowed.has(name));
      if (unknown !== undefined) {
        throw new ApiError(400, "invalid_parameter", `Unknown ${where} "${unknown}"; this endpoint takes: ${[...allowed].join(", ")}.`, unknown);
      }
    }
  };
  const existing = routeOptions.preValidation;
  routeOptions.preValidation = existing ? [check, ...(Array.isArray(existing) ? existing : [existing])] : [check];
}
