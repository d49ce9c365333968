/** 工作台: the home page's cards (registered by each module), alerts (预警) and pinned notices (置顶公告). */
export { workbenchRoutes } from './routes';
export { workbench, workbenchCards, alerts, publishNotice, pinnedNotices, getNotice, type NoticeDto } from './service';
