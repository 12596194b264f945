import { Body, Controller, HttpCode, HttpStatus, Inject, Post, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ENROL_PATH, type EnrolAgentRequest, type EnrolAgentResponse } from '@ruleshift/contracts';
import { EnrolmentErrorFilter } from './enrolment-error.filter';
import { EnrolAgentUseCase } from './usecases/enrol-agent/enrol-agent.usecase';

/**
 * `POST /agents/enrol` on the adapter's HTTP server, where agents already download artifacts:
 * an agent that can fetch its code can enrol, and needs no broker permission to do it.
 */
// The adapter's own HTTP for agents (no bearer token): not part of the operator API's document.
@ApiExcludeController()
@Controller()
@UseFilters(EnrolmentErrorFilter)
export class EnrolmentController {
  constructor(@Inject(EnrolAgentUseCase) private readonly enrol: EnrolAgentUseCase) {}

  @Post(ENROL_PATH.replace(/^\//, ''))
  @HttpCode(HttpStatus.OK)
  execute(@Body() body: EnrolAgentRequest): Promise<EnrolAgentResponse> {
    return this.enrol.execute(body);
  }
}
