import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateGuard, kconfig, type GuardExpr, type Tri } from '../../server/src/model';
import { P } from './helpers';

const KCONFIG: [string, string, string][] = [
  // [profile, symbol, expected]
  ['6.12/x86_64', 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP', 'y'],
  ['6.12/x86_64', 'ARCH_SUPPORTS_PUD_PFNMAP', 'y'],
  ['6.11/x86_64', 'CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP', 'n'],
  ['6.12/arm64', 'CONFIG_ARCH_SUPPORTS_PUD_PFNMAP', 'n'],
  ['6.12/riscv64', 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP', 'n'],
  ['6.12/arm64', 'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD', 'n'],
  ['6.1/x86_64', 'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD', 'y'],
  ['6.9/x86_64', 'CONFIG_HAVE_FAST_GUP', 'y'],
  ['6.9/x86_64', 'CONFIG_HAVE_GUP_FAST', 'n'],
  ['6.10/x86_64', 'CONFIG_HAVE_FAST_GUP', 'n'],
  ['6.10/x86_64', 'CONFIG_HAVE_GUP_FAST', 'y'],
  ['6.1/riscv64', 'CONFIG_HAVE_FAST_GUP', 'n'],
  ['6.16/x86_64', 'CONFIG_ARCH_HAS_PTE_DEVMAP', 'y'],
  ['6.17/x86_64', 'CONFIG_ARCH_HAS_PTE_DEVMAP', 'n'],
  ['6.1/s390', 'CONFIG_ARCH_HAS_PTE_DEVMAP', 'n'],
  ['6.1/x86_64', 'CONFIG_TRANSPARENT_HUGEPAGE', 'y'],
  ['6.1/arm', 'CONFIG_TRANSPARENT_HUGEPAGE', 'n'],
  ['6.1/mips', 'CONFIG_TRANSPARENT_HUGEPAGE', 'unknown'],
  ['6.1/x86_64', 'CONFIG_ZONE_DEVICE', 'y'],
  ['6.1/s390', 'CONFIG_ZONE_DEVICE', 'n'],
  ['6.1/x86_64', 'CONFIG_FS_DAX', 'y'],
  ['6.1/s390', 'CONFIG_FS_DAX', 'unknown'],
  ['6.1/arm64', 'CONFIG_FS_DAX_LIMITED', 'n'],
  ['6.17/s390', 'CONFIG_FS_DAX_LIMITED', 'n'],
  ['6.12/x86_64', 'CONFIG_X86_64', 'y'],
  ['6.12/x86_64', 'CONFIG_X86', 'y'],
  ['6.12/x86_64', 'CONFIG_64BIT', 'y'],
  ['6.12/x86_64', 'CONFIG_ARM64', 'n'],
  ['6.12/x86_32', 'CONFIG_X86_64', 'n'],
  ['6.12/x86_32', 'CONFIG_32BIT', 'y'],
  ['6.12/arm64', 'CONFIG_ARM64', 'y'],
  ['6.12/powerpc64', 'CONFIG_PPC_BOOK3S_64', 'y'],
  ['6.12/riscv64', 'CONFIG_RISCV', 'y'],
  ['6.12/arm-lpae', 'CONFIG_ARM_LPAE', 'y'],
  ['6.12/arm', 'CONFIG_ARM_LPAE', 'n'],
  ['6.12/mips', 'CONFIG_CPU_SUPPORTS_HUGEPAGES', 'unknown'],
  ['6.12/x86_64', 'CONFIG_DRM_TTM', 'unknown'],
  ['6.12/x86_64', 'CONFIG_VFIO_PCI', 'unknown'],
  ['6.12/x86_64+CONFIG_TRANSPARENT_HUGEPAGE=n', 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP', 'n'],
  ['6.12/x86_64+CONFIG_PREEMPT_RT=y', 'CONFIG_TRANSPARENT_HUGEPAGE', 'n'],
  ['6.12/x86_64+CONFIG_DRM_TTM=y', 'CONFIG_DRM_TTM', 'y'],
  ['6.12/mips+CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE=y', 'CONFIG_TRANSPARENT_HUGEPAGE', 'y'],
];

for (const [prof, sym, want] of KCONFIG) {
  test(`kconfig ${prof} ${sym} = ${want}`, () => assert.equal(kconfig(P(prof), sym), want));
}

const d = (symbol: string): GuardExpr => ({ kind: 'defined', symbol });
const en = (symbol: string, macro: 'IS_ENABLED' | 'IS_BUILTIN' | 'IS_MODULE' | 'IS_REACHABLE' = 'IS_ENABLED'): GuardExpr => ({ kind: 'isEnabled', macro, symbol });
const U: GuardExpr = { kind: 'unknown', text: 'FOO > 3' };

const GUARDS: [string, GuardExpr, string, Tri][] = [
  ['vfio PMD guard on x86_64', d('CONFIG_ARCH_SUPPORTS_PMD_PFNMAP'), '6.12/x86_64', true],
  ['vfio PMD guard on riscv64', d('CONFIG_ARCH_SUPPORTS_PMD_PFNMAP'), '6.12/riscv64', false],
  ['vfio PUD guard on arm64', d('CONFIG_ARCH_SUPPORTS_PUD_PFNMAP'), '6.12/arm64', false],
  ['huge pfnmap guard before it existed', d('CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP'), '6.1/x86_64', false],
  ['IS_ENABLED THP_PUD on arm64', en('CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD'), '6.12/arm64', false],
  ['IS_BUILTIN of a y symbol', en('CONFIG_X86_64', 'IS_BUILTIN'), '6.12/x86_64', true],
  ['IS_MODULE of a y symbol', en('CONFIG_X86_64', 'IS_MODULE'), '6.12/x86_64', false],
  ['IS_MODULE of a driver symbol', en('CONFIG_DRM_TTM', 'IS_MODULE'), '6.12/x86_64', 'unknown'],
  ['IS_REACHABLE like IS_ENABLED', en('CONFIG_TRANSPARENT_HUGEPAGE', 'IS_REACHABLE'), '6.12/x86_64', true],
  ['driver symbol is unknown', d('CONFIG_DRM_VMWGFX'), '6.12/x86_64', 'unknown'],
  ['non-Kconfig macro is unknown', d('pmd_special'), '6.12/x86_64', 'unknown'],
  ['false && unknown = false', { kind: 'and', args: [d('CONFIG_ARM64'), U] }, '6.12/x86_64', false],
  ['true && unknown = unknown', { kind: 'and', args: [d('CONFIG_X86_64'), U] }, '6.12/x86_64', 'unknown'],
  ['true || unknown = true', { kind: 'or', args: [d('CONFIG_X86_64'), U] }, '6.12/x86_64', true],
  ['false || unknown = unknown', { kind: 'or', args: [d('CONFIG_ARM64'), U] }, '6.12/x86_64', 'unknown'],
  ['not unknown = unknown', { kind: 'not', arg: U }, '6.12/x86_64', 'unknown'],
  ['!defined(THP_PUD) on x86_64', { kind: 'not', arg: d('CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD') }, '6.12/x86_64', false],
  ['const', { kind: 'const', value: true }, '6.12/x86_64', true],
  ['override respected', d('CONFIG_ARCH_SUPPORTS_PMD_PFNMAP'), '6.12/x86_64+CONFIG_TRANSPARENT_HUGEPAGE=n', false],
];

for (const [name, expr, prof, want] of GUARDS) {
  test(`evaluateGuard: ${name}`, () => assert.equal(evaluateGuard(expr, P(prof)), want));
}
