import { Type } from 'typebox';
import { listSolutions, putSolution, removeSolution } from '../../core/solutions/manage-solutions.js';
import type { Solution } from '../../core/solutions/solution.js';
import { type App, readDeps } from '../context.js';
import type { Kit } from '../kit/api.js';
import { CodeParams, NoContent } from './schemas.js';

const strict = { additionalProperties: false } as const;

const SolutionParams = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 63 }),
    solution: Type.String({ minLength: 1, maxLength: 63, description: 'the solution code, e.g. CIFRWE' }),
  },
  strict,
);

const PutSolutionBody = Type.Object(
  {
    product_code: Type.String({ minLength: 1, maxLength: 63, description: 'a product the partner sells' }),
    country: Type.String({
      pattern: '^[A-Za-z]{2}$',
      description: "ISO 3166 alpha-2, one of the partner's markets: it sets the currency",
    }),
  },
  strict,
);

const SolutionSchema = Type.Object({
  object: Type.Literal('solution'),
  code: Type.String(),
  product_code: Type.String(),
  country: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});
const SolutionListSchema = Type.Object({ object: Type.Literal('list'), data: Type.Array(SolutionSchema) });

const solutionJson = (s: Solution) => ({
  object: 'solution' as const,
  code: s.code,
  product_code: s.productCode,
  country: s.country,
  created_at: s.createdAt.toISOString(),
});

/** A partner's solution codes: one product in one market each, what SocGen requests name (`solutionCode`). */
export async function adminSolutionRoutes(app: App, kit: Kit): Promise<void> {
  const tags = ['admin: partners'];
  app.put(
    '/partners/:code/solutions/:solution',
    {
      schema: {
        summary: 'Name a product in a market by a solution code (made, or pointed elsewhere)',
        tags,
        params: SolutionParams,
        body: PutSolutionBody,
        response: { 200: SolutionSchema },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        const solution = await putSolution(deps, request.params.code, {
          code: request.params.solution,
          productCode: request.body.product_code,
          country: request.body.country,
        });
        return { status: 200, body: solutionJson(solution) };
      }),
  );

  app.get(
    '/partners/:code/solutions',
    {
      schema: {
        summary: "List a partner's solution codes",
        tags,
        params: CodeParams,
        response: { 200: SolutionListSchema },
      },
    },
    async (request) => {
      const solutions = await listSolutions(readDeps(app.protego), request.params.code);
      return { object: 'list' as const, data: solutions.map(solutionJson) };
    },
  );

  app.delete(
    '/partners/:code/solutions/:solution',
    {
      schema: {
        summary: 'Remove a solution code',
        tags,
        params: SolutionParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) =>
      kit.write(request, reply, async (deps) => {
        await removeSolution(deps, request.params.code, request.params.solution);
        return { status: 204, body: null };
      }),
  );
}
