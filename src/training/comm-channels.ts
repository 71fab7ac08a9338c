// Collective-library channels a run caps per communicator: a group's transfer rate is at most its CTAs times what one channel moves.

/** CTAs (channels) per communicator a run publishes (NCCL `maxCTAs`); undefined: the library's own choice. */
export interface CommMaxCtas {
  dp?: number;
  cp?: number;
  pp?: number;
}

/**
 * Most bytes per second a rank's share of a collective or send-recv moves on a communicator capped at `ctas` CTAs,
 * each moving at most `perChannel` (the family's `collectiveChannelBytesPerS`, from NCCL's cost model), s^-1 x bytes.
 * NCCL builds a communicator's channels up to its `maxCTAs` (a point-to-point operation uses at most as many
 * channels as the communicator has: `ncclTopoComputeP2pChannels` takes min(nChannels, NCCL_MAX_P2P_NCHANNELS)), and
 * each channel is one CTA copying or reducing its slice. Undefined when the run caps nothing or the family has no
 * per-channel figure: the links' rate alone applies. Cost O(1).
 */
export function channelRateCap(ctas: number | undefined, perChannel: number | undefined): number | undefined {
  if (ctas === undefined || perChannel === undefined || ctas <= 0 || perChannel <= 0) return undefined;
  return ctas * perChannel;
}
