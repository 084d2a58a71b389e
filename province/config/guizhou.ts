import type { ProvinceInput } from './schema.js';

export const guizhou: ProvinceInput = {
  id: 'guizhou',
  name: '贵州省 Guizhou',
  region: 'ap-northeast-2',
  sellerShareBps: 8500,
  reservationTimeoutMinutes: 10,
  wechatPay: { appId: 'wx2b7c9d1e3f4a5b62', mchId: '1900000102' },
  postShowGraceMinutes: 5,
  counties: [
    {
      id: 'leishan',
      name: '雷山县 Leishan County',
      channels: [
        { id: 'leishan-main', name: 'Leishan county head live room' },
        { id: 'leishan-tea', name: 'Leishan tea garden', type: 'BASIC', latencyMode: 'NORMAL' },
      ],
    },
  ],
};
