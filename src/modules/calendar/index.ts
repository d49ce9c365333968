export { currentBusinessDate, businessDateSql, initBusinessDate, advanceBusinessDate } from './service';
export { calendarRoutes } from './routes';
