// The one loader of the JSON fixtures in test/fixtures/graph (see its README.md for where each comes from).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphApplication, GraphOAuth2PermissionGrant, GraphServicePrincipal } from '../../src-main/core/types';
import { GRAPH_FIXTURES_DIR } from './paths';

export { GRAPH_FIXTURES_DIR as FIXTURES_DIR };

export function fixturePath(name: string): string {
  return path.join(GRAPH_FIXTURES_DIR, name);
}

/** A fresh deep copy each call, so tests may mutate it. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

/** The ids of the compliant-*.json fixtures. */
export const COMPLIANT = {
  tenantId: '5b3e9a1c-2d4f-4e6a-8b7c-9d0e1f2a3b4c',
  appId: '2d8f5c3a-7b1e-4f6d-a9c0-5e4b3a2d1c0f',
  objectId: '6f1c2b7e-3d4a-4c5b-9e8f-0a1b2c3d4e5f',
  scopeId: 'b7e4c1d2-3f5a-4e6b-8c9d-0e1f2a3b4c5d',
  spId: '9c8b7a6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
  hosts: ['test.icnow.app', 'dc2.icnow.app'],
};

export const compliantApp = () => fixture<GraphApplication>('compliant-application.json');
export const compliantSp = () => fixture<GraphServicePrincipal>('compliant-service-principal.json');
export const compliantGrants = () => fixture<{ value: GraphOAuth2PermissionGrant[] }>('compliant-grants-admins.json').value;
