// The core's public surface: pure logic over the shared types (no I/O, no Electron).
export * from './types';
export * from './clouds';
export * from './settings';
export * from './checklist';
export * from './desired';
export * from './values';
export * from './audit';
export * from './plan';
