import { useRef, type KeyboardEvent } from 'react';
import { STEP_TITLES } from './steps';
import { goToStep, STEP_COUNT, useTeaching } from './teachingStore';

/**
 * Step tabs and Previous/Next buttons. Arrow keys, Home and End move between
 * steps (the WAI-ARIA tabs pattern). The buttons stay focusable at the ends
 * (aria-disabled, not disabled) so keyboard focus is not lost on the last step.
 */
export function StepNavigation() {
  const step = useTeaching((state) => state.step);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  const moveTo = (target: number, focusTab: boolean) => {
    const clamped = Math.max(0, Math.min(STEP_COUNT - 1, target));
    goToStep(clamped);
    if (focusTab) tabs.current[clamped]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent, focusTab: boolean) => {
    const targets: Record<string, number> = { ArrowRight: step + 1, ArrowDown: step + 1, ArrowLeft: step - 1, ArrowUp: step - 1, Home: 0, End: STEP_COUNT - 1 };
    if (!(event.key in targets)) return;
    event.preventDefault();
    moveTo(targets[event.key], focusTab);
  };

  return (
    <div className="teaching-nav">
      <div role="tablist" aria-label="Steps of the method" className="teaching-tabs" onKeyDown={(event) => onKeyDown(event, true)}>
        {STEP_TITLES.map((title, i) => (
          <button
            key={title}
            ref={(element) => {
              tabs.current[i] = element;
            }}
            role="tab"
            id={`teaching-tab-${i + 1}`}
            aria-selected={i === step}
            aria-controls={`teaching-panel-${i + 1}`}
            tabIndex={i === step ? 0 : -1}
            data-testid={`teaching-tab-${i + 1}`}
            onClick={() => goToStep(i)}
          >
            {i + 1}. {title}
          </button>
        ))}
      </div>
      <div className="teaching-pager" onKeyDown={(event) => onKeyDown(event, false)}>
        <button data-testid="teaching-prev" aria-disabled={step === 0} onClick={() => moveTo(step - 1, false)}>
          ← Previous
        </button>
        <span className="muted" aria-live="polite">
          Step {step + 1} of {STEP_COUNT}
        </span>
        <button data-testid="teaching-next" aria-disabled={step === STEP_COUNT - 1} onClick={() => moveTo(step + 1, false)}>
          Next →
        </button>
      </div>
    </div>
  );
}
