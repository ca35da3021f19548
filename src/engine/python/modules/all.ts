// Registers every module table with the interpreter (import for side effects).
import './torch';
import './keras';
import './tensorflow';
import './numpy';
import './scipy';
import './theano';
import './math';
import './functools';
import './enumModule';
import './os';
import './importlib';
import './inspect';
import './caffe';
import './cv2';
