export { currentBusinessDate, initBusinessDate, advanceBusinessDate } from './service';
export { calendarRoutes } from './routes';
