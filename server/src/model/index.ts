// Public entry of the embedded MM/GUP model. Pure, synchronous, no I/O: tables are TypeScript data.

export * from './citations';
export * from './versions';
export * from './archTable';
export * from './profiles';
export * from './kconfig';
export * from './guards';
export * from './apiTable';
export * from './apiSurface';
export * from './types';
export * from './insertion';
export * from './gup';
export * from './dispatch';
export * from './users';
export * as timeline from './kernelTimeline';
