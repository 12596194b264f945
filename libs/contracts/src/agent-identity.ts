import type { AgentCommand, AgentReply } from './agent-protocol';

/**
 * Agent identity (docs/decisions.md, "Agent identity"): every message between the adapter and
 * an agent is a SignedMessage. `payload` is the JSON text of the body and `signature` the
 * base64 ed25519 signature of its UTF-8 bytes: the adapter's key for commands, the agent's for
 * heartbeats and replies.
 */
export interface SignedMessage {
  payload: string;
  signature: string;
}

/** The body of a signed command: bound to one agent, fresh, and never accepted twice. */
export interface SignedCommandBody {
  agentId: string;
  /** ISO time the adapter issued it; an agent refuses it outside CONTROL_FRESHNESS_MS. */
  issuedAt: string;
  /** Random, unique per command: an agent accepts each once. */
  nonce: string;
  command: AgentCommand;
}

/** The body of a signed reply: bound to the command it answers by that command's nonce. */
export interface SignedReplyBody {
  agentId: string;
  requestNonce: string;
  reply: AgentReply;
}

/** How far a command's issuedAt may be from the agent's clock (either way). */
export const CONTROL_FRESHNESS_MS = 60_000;
/** A heartbeat sent longer ago than this is refused (after an adapter restart, say). */
export const HEARTBEAT_MAX_AGE_MS = 60_000;

/** Where an agent presents its enrolment token: the adapter's HTTP server (ADAPTER_PUBLIC_URL). */
export const ENROL_PATH = '/agents/enrol';

/** `POST /agents/enrol` on the adapter. */
export interface EnrolAgentRequest {
  agentId: string;
  enrolmentToken: string;
  /** The agent's ed25519 public key, PEM (SPKI); its private half never leaves the agent. */
  publicKey: string;
}

export interface EnrolAgentResponse {
  agentId: string;
  /** The adapter's ed25519 public key, PEM: the agent pins it. */
  adapterPublicKey: string;
}

export type AgentEnrolmentStatus = 'PENDING' | 'ENROLLED' | 'REVOKED';

/** An agent as `GET /api/agents` lists it: never its enrolment token. */
export interface AgentInfo {
  agentId: string;
  status: AgentEnrolmentStatus;
  createdBy: string;
  createdAt: string;
  /** Until when the enrolment token may be presented (PENDING only). */
  enrolmentExpiresAt: string | null;
  enrolledAt: string | null;
  revokedAt: string | null;
  /** sha256 of the agent's registered public key, once enrolled. */
  publicKeyFingerprint: string | null;
}

/** `POST /api/agents`: the enrolment token is shown here once and stored only as a hash. */
export interface CreatedAgent {
  agent: AgentInfo;
  enrolmentToken: string;
}

export interface CreateAgentRequest {
  agentId: string;
  createdBy: string;
}
