import { cancelRunning } from '../actions';
import type { TaskState } from '../store';

/** Progress bar with a Cancel button while a task runs; the error or cancellation message after. */
export function TaskProgress({ task, testId }: { task: TaskState; testId: string }) {
  if (task.phase === 'running') {
    return (
      <div className="progress" data-testid={`${testId}-progress`}>
        <progress max={Math.max(task.total, 1)} value={task.done} />
        <span>
          {task.message}: {task.done} / {task.total} images
        </span>
        <button data-testid={`${testId}-cancel`} onClick={cancelRunning}>
          Cancel
        </button>
      </div>
    );
  }
  if (task.phase === 'error') return <p className="error" role="alert">{task.message}</p>;
  if (task.phase === 'cancelled') return <p className="note">{task.message}</p>;
  return null;
}
