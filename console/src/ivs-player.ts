/**
 * The Amazon IVS Player web SDK, loaded from IVS's own CDN only when a cloud playback URL is shown
 * (never in the initial bundle, never locally): the script-tag way its documentation gives, which
 * also serves its WebAssembly worker from the same origin. The distribution's content security
 * policy allows exactly this origin.
 */
export const IVS_PLAYER_VERSION = '1.56.1';
export const IVS_PLAYER_ORIGIN = 'https://player.live-video.net';

export interface IvsPlayer {
  attachHTMLVideoElement(video: HTMLVideoElement): void;
  load(url: string): void;
  play(): void;
  setMuted(muted: boolean): void;
  addEventListener(type: string, listener: (payload: { text?: string } | unknown) => void): void;
  delete(): void;
}
interface IvsPlayerGlobal {
  isPlayerSupported: boolean;
  create(): IvsPlayer;
  PlayerEventType: { TEXT_METADATA_CUE: string; ERROR: string };
  PlayerState: Record<string, string>;
}

let loading: Promise<IvsPlayerGlobal> | undefined;

/** The player's global, once its script has loaded. */
export function loadIvsPlayer(): Promise<IvsPlayerGlobal> {
  loading ??= new Promise<IvsPlayerGlobal>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${IVS_PLAYER_ORIGIN}/${IVS_PLAYER_VERSION}/amazon-ivs-player.min.js`;
    script.async = true;
    script.crossOrigin = 'anonymous';
    script.onload = () => {
      const global = (window as unknown as { IVSPlayer?: IvsPlayerGlobal }).IVSPlayer;
      if (global) resolve(global);
      else reject(new Error('the IVS player script loaded without IVSPlayer'));
    };
    script.onerror = () => {
      loading = undefined;
      reject(new Error('the IVS player could not be loaded'));
    };
    document.head.appendChild(script);
  });
  return loading;
}
