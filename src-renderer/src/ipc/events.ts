// Main → renderer events, subscribed ONCE for the whole app and routed to the flow that owns them:
// progress goes to the run with that runId; a device code goes to the flow that is signing in now
// (the latest owner), so a checklist run and the Sign-in screen never both show the same code.
import { createContext, useContext } from 'react';
import type { DeviceCodeEvent, EventName, IpcEvents, ProgressEvent } from '../../../src-main/shared/ipc-contract';

type Subscribe = <E extends EventName>(name: E, cb: (payload: IpcEvents[E]) => void) => () => void;

export interface RunOwner {
  onProgress?(e: ProgressEvent): void;
  onDeviceCode?(e: DeviceCodeEvent): void;
}

export class EventRouter {
  private readonly runs = new Map<string, RunOwner>();
  /** Flows that may be shown a device code, most recent last. */
  private readonly signIns: RunOwner[] = [];

  /** Subscribes to the preload's events (api.onEvent); returns the unsubscribe. Called once, by the App. */
  attach(subscribe: Subscribe): () => void {
    const offs = [subscribe('live.progress', (e) => this.progress(e)), subscribe('auth.deviceCode', (e) => this.deviceCode(e))];
    return () => offs.forEach((off) => off());
  }

  /** The flow running `runId` gets its progress, and device codes while it runs. Returns the release. */
  own(runId: string, owner: RunOwner): () => void {
    this.runs.set(runId, owner);
    this.signIns.push(owner);
    return () => {
      if (this.runs.get(runId) === owner) this.runs.delete(runId);
      const i = this.signIns.lastIndexOf(owner);
      if (i >= 0) this.signIns.splice(i, 1);
    };
  }

  /** A sign-in not tied to a run (the Sign-in screen). */
  ownSignIn(onDeviceCode: (e: DeviceCodeEvent) => void): () => void {
    const owner: RunOwner = { onDeviceCode };
    this.signIns.push(owner);
    return () => {
      const i = this.signIns.lastIndexOf(owner);
      if (i >= 0) this.signIns.splice(i, 1);
    };
  }

  progress(e: ProgressEvent): void {
    this.runs.get(e.runId)?.onProgress?.(e);
  }

  deviceCode(e: DeviceCodeEvent): void {
    for (let i = this.signIns.length - 1; i >= 0; i--) {
      const o = this.signIns[i];
      if (o?.onDeviceCode) {
        o.onDeviceCode(e);
        return;
      }
    }
  }
}

export const EventsContext = createContext<EventRouter | null>(null);

export function useEvents(): EventRouter {
  const r = useContext(EventsContext);
  if (!r) throw new Error('useEvents outside <App>');
  return r;
}
