// Python's enum: Enum, IntEnum, StrEnum, auto, unique. Loss code uses enums for options (MONAI's
// LossReduction, a mode such as "multiclass"): members are instances with .name and .value; a
// member of a str or int enum (StrEnum, `class X(str, Enum)`) equals its value and hashes like it,
// so comparisons with plain strings and dict lookups behave as in Python.
import { valueError } from '../errors';
import { pyEquals } from '../protocols';
import {
  BuiltinFunction,
  type EnumMember,
  PyClass,
  PyDict,
  PyInstance,
  type PyValue,
  enumMemberOf,
  typeName,
} from '../values';
import { registerModule } from './registry';

const MEMBERS = '__members__';
const MIXIN = '__enum_mixin__';

const lookUpMember = new BuiltinFunction('Enum.__new__', (a) => {
  const [cls, value] = a.positional;
  if (!(cls instanceof PyClass)) throw valueError('Enum() needs a class');
  if (enumMemberOf(value ?? null) && (value as PyInstance).cls.isSubclassOf(cls)) return value!;
  const members = cls.lookup(MEMBERS);
  if (members instanceof PyDict)
    for (const member of members.values()) if (pyEquals(enumMemberOf(member)!.value, value ?? null)) return member;
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  throw valueError(`${shown} is not a valid ${cls.name}`);
});

export const ENUM = new PyClass(
  'Enum',
  [],
  new Map<string, PyValue>([['__new__', lookUpMember]]),
  undefined,
  'enum.Enum',
);
const INT_ENUM = new PyClass('IntEnum', [ENUM], new Map([[MIXIN, 'int']]), undefined, 'enum.IntEnum');
const STR_ENUM = new PyClass('StrEnum', [ENUM], new Map([[MIXIN, 'str']]), undefined, 'enum.StrEnum');
const AUTO = new PyClass('auto', [], new Map(), undefined, 'enum.auto');

export const isEnumClass = (cls: PyClass): boolean => cls !== ENUM && cls.isSubclassOf(ENUM);

/**
 * Turns the class attributes of a new enum class into its members (functions, descriptors and
 * dunder names stay attributes). `mixin` comes from a `str`/`int` base written before Enum.
 */
export function finishEnumClass(cls: PyClass, mixin?: 'str' | 'int'): void {
  const kind = mixin ?? (cls.lookup(MIXIN) as 'str' | 'int' | undefined);
  if (kind) cls.attrs.set(MIXIN, kind);
  const members = new PyDict();
  let next = 1n;
  for (const [name, raw] of [...cls.attrs]) {
    if (name.startsWith('_') || !isMemberValue(raw)) continue;
    let value: PyValue = raw;
    if (raw instanceof PyInstance && raw.cls === AUTO) value = kind === 'str' ? name.toLowerCase() : next;
    if (typeof value === 'bigint') next = value + 1n;
    const existing = [...members.values()].find((m) => pyEquals(enumMemberOf(m)!.value, value));
    const member = (existing as PyInstance | undefined) ?? new PyInstance(cls);
    if (!existing) {
      member.native = { enumMember: true, name, value, ...(kind ? { mixin: kind } : {}) } satisfies EnumMember;
      member.attrs.set('name', name);
      member.attrs.set('value', value);
      member.attrs.set('_name_', name);
      member.attrs.set('_value_', value);
      members.set(name, member);
    }
    cls.attrs.set(name, member);
  }
  cls.attrs.set(MEMBERS, members);
}

/** Member values are plain data; methods, properties and nested classes are not members. */
function isMemberValue(value: PyValue): boolean {
  if (value instanceof PyInstance) return value.cls === AUTO;
  const type = typeName(value);
  return ['str', 'int', 'float', 'bool', 'tuple', 'NoneType'].includes(type);
}

/** The members of an enum class, in definition order (iteration, len, `in`). */
export function enumMembers(cls: PyClass): PyValue[] | undefined {
  if (!isEnumClass(cls)) return undefined;
  const members = cls.lookup(MEMBERS);
  return members instanceof PyDict ? [...members.values()] : [];
}

registerModule(
  'enum',
  () =>
    new Map<string, PyValue>([
      ['Enum', ENUM],
      ['IntEnum', INT_ENUM],
      ['StrEnum', STR_ENUM],
      ['Flag', ENUM],
      ['IntFlag', INT_ENUM],
      ['EnumMeta', ENUM],
      ['auto', new BuiltinFunction('enum.auto', () => new PyInstance(AUTO))],
      ['unique', new BuiltinFunction('enum.unique', (a) => a.positional[0] ?? null)],
    ]),
);
