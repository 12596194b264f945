import { Controller, Get, Headers, HttpStatus, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RUNTIME_KINDS, RuleshiftError, type RuntimeKind } from '@ruleshift/contracts';
import { TEMPLATE_CATALOG } from '../shared/tokens';
import type { TemplateCatalogPort } from '../shared/template-catalog-port';

const isRuntimeKind = (value: string): value is RuntimeKind =>
  (RUNTIME_KINDS as readonly string[]).includes(value);

/** The template artifact repository agents download from (checked by sha256 on their side). */
// The adapter's own HTTP for agents (no bearer token): not part of the operator API's document.
@ApiExcludeController()
@Controller('artifacts')
export class ArtifactController {
  constructor(@Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort) {}

  @Get(':jobType/:version/:runtime')
  async download(
    @Param('jobType') jobType: string,
    @Param('version') version: string,
    @Param('runtime') runtime: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!isRuntimeKind(runtime)) {
      res
        .status(HttpStatus.NOT_FOUND)
        .json({ code: 'NOT_FOUND', message: `unknown runtime ${runtime}`, errors: [] });
      return;
    }
    let artifact;
    try {
      artifact = await this.catalog.readArtifact(jobType, version, runtime);
    } catch (err) {
      const body =
        err instanceof RuleshiftError
          ? err.toJSON()
          : { code: 'NOT_FOUND', message: 'artifact not found', errors: [] };
      res.status(HttpStatus.NOT_FOUND).json(body);
      return;
    }
    const etag = `"${artifact.ref.sha256}"`;
    res.setHeader('ETag', etag);
    res.setHeader('X-Checksum-Sha256', artifact.ref.sha256);
    if (ifNoneMatch === etag) {
      res.status(HttpStatus.NOT_MODIFIED).end();
      return;
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(artifact.bytes.length));
    res.status(HttpStatus.OK).end(artifact.bytes);
  }
}
