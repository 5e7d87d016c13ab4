import type * as tf from '@tensorflow/tfjs';
import { buildResnet, buildVgg } from './models';
import type { TrainingPlan } from './trainModel';

export interface DemoModelSpec {
  id: 'vgg' | 'resnet';
  name: string;
  build: () => tf.LayersModel;
  plan: TrainingPlan;
  /** Minimum test accuracy. A model below it is not written. */
  minimumAccuracy: number;
  supported: boolean;
  note?: string;
}

/**
 * Training choices that leave exactly dead filters in trained nets, with no
 * weight set by hand. Each conv is followed by BN and then ReLU. Adam runs
 * with an L2 penalty on the kernels, a mix that Mehta, Kim and Theobalt ("On
 * implicit filter level sparsity in convolutional neural networks", CVPR 2019)
 * found to switch whole filters off. An L1 penalty on the BN scales, as in
 * network slimming (Liu et al., "Learning efficient convolutional networks
 * through network slimming", 2017), and a fairly high peak learning
 * rate make that happen within three epochs. The first layer has 32 filters
 * for a 3x3x1 input. A filter whose BN scale reaches about 0 with a negative
 * offset outputs exact zeros after ReLU. Sizes and epochs are chosen so that
 * both models train in under half an hour on two CPU cores with wasm (26
 * minutes on the machine that trained the files in public/demo).
 */
const plan = (shuffleSeed: number): TrainingPlan => ({
  epochs: 3,
  batchSize: 128,
  learningRate: { peak: 1e-2, warmupSteps: 100, finalFraction: 0.01 },
  shuffleSeed,
  logEvery: 50,
});

const weightDecay = 5e-4;
const scaleL1 = 3e-3;

export const DEMO_MODELS: DemoModelSpec[] = [
  {
    id: 'vgg',
    name: 'Fashion-MNIST VGG (4 conv, BN, ReLU)',
    build: () => buildVgg({ blocks: [[32], [48], [64, 64]] }, { seed: 1000, weightDecay, scaleL1 }),
    plan: plan(1100),
    minimumAccuracy: 0.9,
    supported: true,
  },
  {
    id: 'resnet',
    name: 'Fashion-MNIST ResNet (2 basic blocks)',
    build: () => buildResnet({ stem: 32, stages: [32, 64], blocksPerStage: 1 }, { seed: 2000, weightDecay, scaleL1 }),
    plan: plan(2100),
    minimumAccuracy: 0.89,
    supported: true,
  },
];
