// Theano 1.0 (`import theano.tensor as T`, `from theano import tensor as T`, `import theano`):
// theano.tensor, theano.tensor.nnet, theano.tensor.extra_ops and the tensor-variable methods,
// evaluated numerically. Semantics kept from Theano: axis=None/keepdims reductions, T.flatten(x,
// ndim) keeping the first ndim-1 axes, dimshuffle with 'x' for new broadcastable axes, 2-D-only
// row-wise softmax, categorical_crossentropy(coding_dist, true_dist) with the prediction first,
// T.round rounding half away from zero, ties of T.maximum/T.minimum sending the gradient to both
// inputs. Theano defines the gradient of Argmax, comparisons, integer casts, Round, Floor, Ceil
// and Sgn as zeros (their grad() returns x.zeros_like()), so here they are 'zero', not 'cut':
// theano.grad through them gives an all-zero gradient, never an error.
// This file registers the modules; each area fills the tables in its own file (imported here in
// table order).
import './reduce';
import './math';
import './shape';
import './linalg';
import './sort';
import './creation';
import './nnet';
import './extraOps';
import './variable';
import { registerTensorAttributes } from '../../attributes';
import { OBJECT_CLASS } from '../../builtins';
import { PyClass, PyInstance, type PyValue } from '../../values';
import { def } from '../common';
import { registerModule } from '../registry';
import { FLAVOUR, FLOATX, TT } from './arguments';
import { extraOps, nnetFunctions, tensorFunctions, variableMethods } from './tables';
import { TENSOR_CONSTANT, TENSOR_VARIABLE, variableProperties } from './variable';

registerTensorAttributes(FLAVOUR, { ...variableMethods, ...variableProperties });

const CONFIG_CLASS = new PyClass(
  'TheanoConfigParser',
  [OBJECT_CLASS],
  new Map(),
  undefined,
  'theano.configparser.TheanoConfigParser',
);

registerModule('theano', () => {
  const config = new PyInstance(CONFIG_CLASS);
  config.attrs.set('floatX', FLOATX);
  config.attrs.set('device', 'cpu');
  config.attrs.set('mode', 'FAST_RUN');
  config.attrs.set('optimizer', 'fast_run');
  config.attrs.set('cast_policy', 'custom');
  return new Map<string, PyValue>([
    ['config', config],
    ['__version__', '1.0.5'],
    [
      'shared',
      def('shared', ['value', 'name=None', 'strict=False', 'allow_downcast=None', '**kwargs'], (a, site) =>
        TT(site, a.value),
      ),
    ],
  ]);
});
registerModule(
  'theano.tensor',
  () =>
    new Map<string, PyValue>([
      ...tensorFunctions,
      ['TensorVariable', TENSOR_VARIABLE],
      ['TensorConstant', TENSOR_CONSTANT],
      ['pi', Math.PI],
      ['e', Math.E],
      ['inf', Infinity],
      ['nan', NaN],
      ['newaxis', null],
    ]),
);
registerModule('theano.tensor.nnet', () => nnetFunctions);
registerModule('theano.tensor.nnet.nnet', () => nnetFunctions);
registerModule('theano.tensor.extra_ops', () => extraOps);
