export { POST } from "../../api/echo/route";
