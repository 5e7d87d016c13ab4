import { chooseOutputChannel } from './teachingStore';

/** Chooses which output channel (a Conv2D's) or output unit (a Dense layer's) of the consumer step 4 shows. */
export function OutputChannelPicker({ consumer, noun, count, value }: { consumer: string; noun: 'channel' | 'unit'; count: number; value: number }) {
  return (
    <label className="teaching-option">
      Output {noun} of <code>{consumer}</code>{' '}
      <input
        type="number"
        data-testid="teaching-output-channel"
        min={0}
        max={count - 1}
        value={value}
        onChange={(event) => {
          const output = Number(event.currentTarget.value);
          if (Number.isInteger(output) && output >= 0 && output < count) chooseOutputChannel(output);
        }}
      />{' '}
      <span className="muted">of 0 to {count - 1}; the first shown is the one that uses the removed map most.</span>
    </label>
  );
}
