import type { ProvinceInput } from './schema.js';

export const hunan: ProvinceInput = {
  id: 'hunan',
  name: '湖南省 Hunan',
  region: 'ap-northeast-1',
  sellerShareBps: 8000,
  reservationTimeoutMinutes: 15,
  wechatPay: { appId: 'wx8f3a2c4d5e6b7a81', mchId: '1900000101' },
  postShowGraceMinutes: 5,
  counties: [
    {
      id: 'chengbu',
      name: '城步苗族自治县 Chengbu Miao Autonomous County',
      channels: [{ id: 'chengbu-main', name: 'Chengbu county head live room', latencyMode: 'LOW' }],
    },
    {
      id: 'xinhuang',
      name: '新晃侗族自治县 Xinhuang Dong Autonomous County',
      channels: [{ id: 'xinhuang-main', name: 'Xinhuang county head live room' }],
    },
  ],
};
