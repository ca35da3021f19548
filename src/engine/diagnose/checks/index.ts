// The static checks of one loss, in the order their findings are listed. Each unit is a module that
// exports its rule and its check; a new check is a new module and one line here (the rules table,
// the docs, the README table and the severity setting follow from it: node scripts/generate.mjs).
import * as absentClassExplosion from './absentClassExplosion';
import * as activationMismatch from './activationMismatch';
import * as argumentOrder from './argumentOrder';
import * as axisOrder from './axisOrder';
import * as backgroundIncluded from './backgroundIncluded';
import * as batchPooledDice from './batchPooledDice';
import * as classWeightsCancel from './classWeightsCancel';
import * as classesPooled from './classesPooled';
import * as doubleActivation from './doubleActivation';
import * as ignoredClass from './ignoredClass';
import * as integerLabels from './integerLabels';
import * as nanOnEmpty from './nanOnEmpty';
import * as nonDifferentiable from './nonDifferentiable';
import * as numpyOnGradTensor from './numpyOnGradTensor';
import * as shapeMismatch from './shapeMismatch';
import * as signError from './signError';
import * as wrongAxes from './wrongAxes';
import * as wrongGradient from './wrongGradient';

export const CHECK_UNITS = [
  nonDifferentiable,
  numpyOnGradTensor,
  wrongGradient,
  doubleActivation,
  activationMismatch,
  signError,
  nanOnEmpty,
  absentClassExplosion,
  classWeightsCancel,
  ignoredClass,
  shapeMismatch,
  wrongAxes, // reports under shape-mismatch's rule
  axisOrder, // reports under shape-mismatch's rule
  argumentOrder,
  batchPooledDice,
  classesPooled,
  backgroundIncluded,
  integerLabels,
] as const;
