import { Inject, Injectable, Logger } from '@nestjs/common';
import { VerifyKey } from '@ruleshift/identity';
import {
  RuleshiftError,
  ValidationFailed,
  type EnrolAgentRequest,
  type EnrolAgentResponse,
  type FieldError,
} from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { AdapterSigningKey } from '../../adapter-signing-key';
import { assertAgentId } from '../../agent-id';
import { enrolmentTokenHash } from '../../enrolment-token';
import { AgentRepository } from '../../persistence/agent.repository';

const MAX_PEM_LENGTH = 1024;

/**
 * An agent presents its one-time token and its public key; it gets the adapter's public key
 * to pin. Every failure (unknown agent, wrong, used or expired token) answers the same 401,
 * so the endpoint tells a prober nothing about which agent ids exist.
 */
@Injectable()
export class EnrolAgentUseCase {
  private readonly logger = new Logger(EnrolAgentUseCase.name);

  constructor(
    @Inject(AgentRepository) private readonly agents: AgentRepository,
    @Inject(AdapterSigningKey) private readonly adapterKey: AdapterSigningKey,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: EnrolAgentRequest): Promise<EnrolAgentResponse> {
    const body = (request ?? {}) as Partial<EnrolAgentRequest>;
    const errors: FieldError[] = [];
    let agentId = '';
    try {
      agentId = assertAgentId(body.agentId);
    } catch (error) {
      errors.push(...(error as ValidationFailed).errors);
    }
    if (typeof body.enrolmentToken !== 'string' || body.enrolmentToken.length === 0) {
      errors.push({ field: 'enrolmentToken', reason: 'must be a non-empty string' });
    }
    let publicKey: VerifyKey | undefined;
    if (typeof body.publicKey !== 'string' || body.publicKey.length > MAX_PEM_LENGTH) {
      errors.push({ field: 'publicKey', reason: 'must be an ed25519 public key in PEM' });
    } else {
      try {
        publicKey = VerifyKey.fromPem(body.publicKey);
      } catch {
        errors.push({ field: 'publicKey', reason: 'must be an ed25519 public key in PEM' });
      }
    }
    if (errors.length > 0 || !publicKey) throw new ValidationFailed(errors);

    const enrolled = await this.agents.enrol({
      agentId,
      tokenHash: enrolmentTokenHash(body.enrolmentToken as string),
      publicKey: publicKey.pem,
      at: this.clock.now(),
    });
    if (!enrolled) {
      this.logger.warn(`refused an enrolment for agent ${agentId}`);
      throw new RuleshiftError('UNAUTHENTICATED', 'enrolmentToken: not valid for this agent', [
        { field: 'enrolmentToken', reason: 'unknown, already used or expired for this agent' },
      ]);
    }
    this.logger.log(`agent ${agentId} enrolled, key ${publicKey.fingerprint.slice(0, 16)}`);
    return { agentId, adapterPublicKey: this.adapterKey.key.publicKey.pem };
  }
}
