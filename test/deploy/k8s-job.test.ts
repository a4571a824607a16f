import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/capture.js';

interface Container { image: string; command: string[]; securityContext: Record<string, unknown>; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }
interface JobDoc {
  apiVersion: string; kind: string;
  spec: { completions: number; parallelism: number; completionMode: string; template: { spec: { restartPolicy: string; securityContext: Record<string, unknown>; containers: Container[]; volumes: { name: string; emptyDir?: object }[] } } };
}

const manifest = readFileSync(path.join(ROOT, 'deploy/k8s-job.yaml'), 'utf8');
const job = parse(manifest) as JobDoc;
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

describe('deploy/k8s-job.yaml and the Dockerfile', () => {
  it('is an Indexed Job whose shards cover the sweep: one per completion index, N = completions', () => {
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', spec: { completionMode: 'Indexed' } });
    const n = job.spec.completions;
    expect(job.spec.parallelism).toBeLessThanOrEqual(n);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const c = job.spec.template.spec.containers[0];
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.command[2]).toContain(`--shard $((JOB_COMPLETION_INDEX + 1))/${n}`);
    expect(c.command[2]).toMatch(/ batch \/archive --out \/reports /);
  });

  it('runs the image the Dockerfile builds, as its unprivileged user, evidence mounted read-only', () => {
    const c = job.spec.template.spec.containers[0];
    expect(c.image).toMatch(/\/vrrp-forensics:\d+\.\d+\.\d+$/);
    expect(c.image.split(':').pop()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    // the CLI path in the command is the one the image installs
    const entry = /ENTRYPOINT \["node", "([^"]+)"\]/.exec(dockerfile)![1];
    expect(c.command[2]).toContain(`exec node ${entry} batch`);
    expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: 'archive', mountPath: '/archive', readOnly: true }, { name: 'reports', mountPath: '/reports' }, { name: 'tmp', mountPath: '/tmp' }]));
    expect(job.spec.template.spec.volumes.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
    // Dockerfile: the final stage is Node 20 slim and runs as `node` (uid 1000 in the official image)
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.at(-1)).toMatch(/^node:20-slim\n/);
    expect(stages.at(-1)).toMatch(/^USER node$/m);
    for (const f of [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(' '))) expect(existsSync(path.join(ROOT, f))).toBe(true);
  });

  it('its command, run by a shell as the pod would, writes that index\'s shard summary', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'vf-k8s-'));
    const entry = /ENTRYPOINT \["node", "([^"]+)"\]/.exec(dockerfile)![1];
    const cmd = job.spec.template.spec.containers[0].command[2]
      .replace(' /archive ', ` ${path.join(ROOT, 'samples/seed-snat')} `).replace(' /reports ', ` ${out} `).replace(entry, path.join(ROOT, 'bin/run.js'));
    const r = spawnSync('sh', ['-c', cmd], { env: { ...process.env, JOB_COMPLETION_INDEX: '2' }, encoding: 'utf8' });
    expect(r.status === 0 || r.status === 1).toBe(true);
    expect(existsSync(path.join(out, `summary-shard-3-of-${job.spec.completions}.json`))).toBe(true);
  }, 60_000);

  it('the README shows this very manifest', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)![1];
    expect(parseAllDocuments(block).map((d) => d.toJS())).toEqual([job]);
  });
});
