// importlib.import_module and importlib.util.find_spec, for code that imports optional packages by
// name (MONAI's optional_import, `if find_spec("cv2")`): they import as an import statement does.
import { InterpreterError, typeError } from '../errors';
import { BuiltinFunction, PyClass, PyInstance, type PyValue } from '../values';
import { registerModule } from './registry';

const MODULE_SPEC = new PyClass('ModuleSpec', [], new Map(), undefined, 'importlib.machinery.ModuleSpec');

const moduleName = (value: PyValue | undefined, pkg: PyValue | undefined): string => {
  if (typeof value !== 'string') throw typeError('the module name must be a str');
  if (!value.startsWith('.')) return value;
  if (typeof pkg !== 'string') throw typeError(`the 'package' argument is required to import '${value}'`);
  const level = value.length - value.replace(/^\.+/, '').length;
  const base = pkg
    .split('.')
    .slice(0, pkg.split('.').length - (level - 1))
    .join('.');
  return `${base}.${value.slice(level)}`.replace(/\.$/, '');
};

registerModule(
  'importlib',
  () =>
    new Map<string, PyValue>([
      [
        'import_module',
        new BuiltinFunction('importlib.import_module', (a, site) => {
          const name = moduleName(a.positional[0], a.positional[1] ?? a.keywords.get('package'));
          return site.rt.importer!(name, site.range).leaf;
        }),
      ],
    ]),
);

registerModule(
  'importlib.util',
  () =>
    new Map<string, PyValue>([
      [
        'find_spec',
        new BuiltinFunction('importlib.util.find_spec', (a, site) => {
          const name = moduleName(a.positional[0], a.positional[1] ?? a.keywords.get('package'));
          try {
            site.rt.importer!(name, site.range);
          } catch (error) {
            if (error instanceof InterpreterError && error.pyType === 'ModuleNotFoundError') return null;
            throw error;
          }
          const spec = new PyInstance(MODULE_SPEC);
          spec.attrs.set('name', name);
          return spec;
        }),
      ],
    ]),
);
